import { describe, expect, it } from 'vitest';
import type { UserStreamEvent } from '../src/server/realtime/user-stream.ts';
import { createRoom, people, sentinelMessage, watchRoom, type Person, type Received } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { startServer } from './helpers/server.ts';

/** A person's events.user on another device, live once its first unread count arrives (they must be in a room). */
async function otherDevice(person: Person) {
  const received: UserStreamEvent[] = [];
  person.connect().trpc.events.user.subscribe(undefined, { onData: (event) => void received.push(event) });
  await until(() => received.some((e) => e.type === 'unread'));
  return received;
}

const bodies = (page: { messages: Array<{ body: string }> }) => page.messages.map((m) => m.body);
const streamed = (received: Received[]) =>
  received.flatMap(({ event }) => (event.type === 'message.created' || event.type === 'message.updated' ? [`${event.type} ${event.message.body}`] : []));

describe('delete for me: messages.hide', () => {
  it('leaves my history, my replays and my live edits; the others keep it; my other devices hear of it', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] }); // seqs 1, 2: the joins
    const send = (body: string) => alice.api.messages.send.mutate({ roomId: room.id, body, clientMessageId: body });
    await send('one');
    const two = await send('two');
    await send('three');
    const devices = await otherDevice(bob);

    await expect(bob.api.messages.hide.mutate({ messageId: two.id })).resolves.toEqual({ ok: true });
    await expect(bob.api.messages.hide.mutate({ messageId: two.id })).resolves.toEqual({ ok: true }); // twice: the same
    await until(() => devices.some((e) => e.type === 'message.hidden'));
    expect(devices.filter((e) => e.type === 'message.hidden')).toEqual([{ type: 'message.hidden', roomId: room.id, messageId: two.id }]);
    expect(bodies(await bob.api.messages.history.query({ roomId: room.id }))).toEqual(['one', 'three']);
    expect(bodies(await alice.api.messages.history.query({ roomId: room.id }))).toEqual(['one', 'two', 'three']);

    // A stream resuming from before it replays around it; an edit of it later reaches alice, not bob.
    const bobs = watchRoom(bob.connect(), room.id, '2');
    const alices = watchRoom(alice.connect(), room.id, '2');
    await until(() => [bobs, alices].every((stream) => streamed(stream.received).includes('message.created three')));
    await alice.api.messages.edit.mutate({ messageId: two.id, body: 'two, edited' });
    const sentinel = sentinelMessage(alice, room.id);
    expect(streamed(await recordedBefore(bobs.received, sentinel))).toEqual(['message.created one', 'message.created three']);
    await until(() => alices.received.some(sentinel.is));
    expect(streamed(alices.received).slice(0, 4)).toEqual([
      'message.created one',
      'message.created two',
      'message.created three',
      'message.updated two, edited',
    ]);
    expect(bobs.seqs()).toEqual([3, 5, 7]); // the sentinel at 7: the cursor passed 4 and 6 without a gap
  });

  it('refuses what is not mine to see, and bad ids, with typed errors', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice });
    const message = await alice.api.messages.send.mutate({ roomId: room.id, body: 'private', clientMessageId: 'p' });
    expect((await rejection(bob.api.messages.hide.mutate({ messageId: message.id }))).data?.code).toBe('NOT_FOUND');
    expect((await rejection(bob.api.messages.hide.mutate({ messageId: 'nope' }))).data?.code).toBe('BAD_REQUEST');
    expect(await hearth.server.services.store.prisma.hiddenMessage.count()).toBe(0);
  });
});

describe('delete for me: rooms.hide', () => {
  it('a direct conversation leaves my list, read, and comes back with only what came after; the other side keeps all', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await createRoom({ by: bob, name: 'bobs notes' }); // so bob's other device's stream has a first count
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] }); // seqs 1, 2
    await alice.api.messages.send.mutate({ roomId: direct.id, body: 'old news', clientMessageId: 'o1' });
    await alice.api.messages.send.mutate({ roomId: direct.id, body: 'more old news', clientMessageId: 'o2' });
    const devices = await otherDevice(bob);
    const listed = async (person: Person) => (await person.api.rooms.list.query()).filter((r) => r.kind === 'direct');

    await expect(bob.api.rooms.hide.mutate({ roomId: direct.id })).resolves.toEqual({ clearedSeq: 4 });
    await until(() => devices.some((e) => e.type === 'room.hidden'));
    expect(await listed(bob)).toEqual([]);
    expect((await listed(alice)).map((r) => r.id)).toEqual([direct.id]);
    expect(await bob.api.messages.history.query({ roomId: direct.id })).toMatchObject({ messages: [], events: [], nextBeforeSeq: null });
    expect(bodies(await alice.api.messages.history.query({ roomId: direct.id }))).toEqual(['old news', 'more old news']);

    await alice.api.messages.send.mutate({ roomId: direct.id, body: 'something new', clientMessageId: 'n1' });
    await until(() => devices.some((e) => e.type === 'room.added' && e.roomId === direct.id));
    const back = await listed(bob);
    expect(back.map((r) => [r.id, r.unread])).toEqual([[direct.id, 1]]);
    const page = await bob.api.messages.history.query({ roomId: direct.id });
    expect([bodies(page), page.nextBeforeSeq]).toEqual([['something new'], null]);
    const replay = watchRoom(bob.connect(), direct.id, '0');
    const sentinel = sentinelMessage(alice, direct.id);
    expect(streamed(await recordedBefore(replay.received, sentinel))).toEqual(['message.created something new']);
  });

  it('only direct conversations, only my own', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    expect((await rejection(bob.api.rooms.hide.mutate({ roomId: room.id }))).data?.code).toBe('BAD_REQUEST');
    const carol = (await people(hearth, 'carol')).carol;
    expect((await rejection(carol.api.rooms.hide.mutate({ roomId: direct.id }))).data?.code).toBe('NOT_FOUND');
    const memberships = await hearth.server.services.store.prisma.membership.findMany({ where: { hidden: true } });
    expect(memberships).toEqual([]);
  });
});
