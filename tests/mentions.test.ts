import { describe, expect, it } from 'vitest';
import type { RoomKind } from '../src/server/chat/serialize.ts';
import type { PublicMessage } from '../src/server/chat/room-events.ts';
import type { UserStreamEvent } from '../src/server/realtime/user-stream.ts';
import { MAX_MENTIONED_NAMES, mentionedNames, mentionTokens } from '../src/shared/mentions.ts';
import { acquaint, createRoom, people, watchRoom, type Person } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

const say = (by: Person, roomId: string, body: string) => by.api.messages.send.mutate({ roomId, body, clientMessageId: crypto.randomUUID() });
const sorted = (...ids: string[]) => [...ids].sort();

/** Registers the server's admin first, so the people a test names are ordinary members. */
async function hearthWith(env: Record<string, string> = {}) {
  const hearth = await startServer({ env });
  await hearth.register('admin');
  return hearth;
}

function watchUser(person: Person) {
  const received: UserStreamEvent[] = [];
  let started = false;
  person.connect().trpc.events.user.subscribe(undefined, { onStarted: () => (started = true), onData: (event) => void received.push(event) });
  const counts = (roomId: string) =>
    received.filter((e) => e.type === 'unread' && e.roomId === roomId).map((e) => e.type === 'unread' && [e.unread, e.mentions]);
  return { received, counts, ready: () => until(() => started && received.some((e) => e.type === 'unread')) };
}

describe('reading @names', () => {
  it('finds usernames after @, not inside addresses or paths, with trailing punctuation read both ways', () => {
    expect(mentionedNames('hi @Bob, @carol. ann@example.com https://x.org/@dave @e (@frank) @room!')).toEqual({
      room: true,
      names: ['bob', 'carol.', 'carol', 'frank'],
    });
    expect(mentionTokens('@ann-').map(({ start, end, name, trimmed }) => [start, end, name, trimmed])).toEqual([[0, 5, 'ann-', 'ann']]);
    expect(mentionedNames('no mentions here')).toEqual({ room: false, names: [] });
    const many = Array.from({ length: MAX_MENTIONED_NAMES + 10 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionedNames(many).names).toHaveLength(MAX_MENTIONED_NAMES);
  });
});

describe('mentions', () => {
  it('are resolved to members on the server, stored with the message and replayed alike; non-members resolve to nobody', async () => {
    const hearth = await hearthWith();
    const { alice, bob, carol, dave } = await people(hearth, 'alice', 'bob', 'carol', 'dave');
    await acquaint(alice, bob, carol); // an ordinary member: she reaches them as contacts (chat/reach.ts)
    const room = await createRoom({ by: alice, members: [bob, carol] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started);
    const sent = await say(alice, room.id, 'hi @Bob and @carol. — @dave, @nobody, dave@example.com');
    expect(sent).toMatchObject({ mentions: sorted(bob.id, carol.id), mentionsRoom: false });
    expect(sent.mentions).not.toContain(dave.id);
    await until(() => stream.seqs().length === 1);
    const live = stream.received.find((r) => r.event.type === 'message.created')!.event as { message: PublicMessage };
    expect(live.message).toEqual(sent);
    const { messages } = await bob.api.messages.history.query({ roomId: room.id });
    expect(messages).toEqual([sent]);
    expect(await bob.api.messages.get.query({ messageId: sent.id })).toEqual(sent);
    const replay = watchRoom(carol.connect(), room.id, '0');
    await until(() => replay.received.some((r) => r.event.type === 'message.created'));
    expect((replay.received.find((r) => r.event.type === 'message.created')!.event as { message: PublicMessage }).message).toEqual(sent);
  });

  it('are read again on edit (and gone on delete); a send notifies once, an edit never', async () => {
    const hearth = await hearthWith();
    const posted: Array<{ roomId: string; roomKind: RoomKind; message: PublicMessage }> = [];
    const notifier = hearth.server.services.notifier;
    const original = notifier.messagePosted.bind(notifier);
    notifier.messagePosted = (post) => {
      posted.push(post);
      original(post);
    };
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    await acquaint(alice, bob, carol); // an ordinary member: she reaches them as contacts (chat/reach.ts)
    const room = await createRoom({ by: alice, members: [bob, carol] });
    const sent = await say(alice, room.id, 'ping @bob');
    expect(posted).toEqual([{ roomId: room.id, roomKind: 'closed', message: sent }]);
    const edited = await alice.api.messages.edit.mutate({ messageId: sent.id, body: 'ping @carol and @room' });
    expect(edited).toMatchObject({ mentions: [carol.id], mentionsRoom: true });
    expect(posted).toHaveLength(1);
    expect(await bob.api.messages.get.query({ messageId: sent.id })).toMatchObject({ mentions: [carol.id], mentionsRoom: true });
    await alice.api.messages.delete.mutate({ messageId: sent.id });
    expect(await hearth.server.services.store.prisma.mention.count()).toBe(0);
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    await say(bob, direct.id, 'hello');
    expect(posted.at(-1)).toMatchObject({ roomId: direct.id, roomKind: 'direct' });
  });

  it('@room is for room admins in a room over ROOM_MENTION_ADMIN_ONLY_ABOVE members: refused, typed, nothing written', async () => {
    const hearth = await hearthWith({ ROOM_MENTION_ADMIN_ONLY_ABOVE: '2' });
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    await acquaint(alice, bob, carol); // an ordinary member: she reaches them as contacts (chat/reach.ts)
    const small = await createRoom({ by: alice, members: [bob] });
    expect(await say(bob, small.id, '@room lunch?')).toMatchObject({ mentionsRoom: true });
    const large = await createRoom({ by: alice, members: [bob, carol] });
    const before = await bob.api.rooms.get.query({ roomId: large.id });
    const refused = say(bob, large.id, 'hey @room');
    await expect(refused).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
      message: 'Only room admins can mention @room in a room of more than 2 members (this one has 3)',
    });
    expect((await bob.api.rooms.get.query({ roomId: large.id })).lastSeq).toBe(before.lastSeq);
    expect((await bob.api.messages.history.query({ roomId: large.id })).messages).toEqual([]);
    // An edit cannot add it either; a room admin may say it.
    const plain = await say(bob, large.id, 'hey all');
    await expect(bob.api.messages.edit.mutate({ messageId: plain.id, body: 'hey @room' })).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await bob.api.messages.get.query({ messageId: plain.id })).toMatchObject({ body: 'hey all', editedAt: null });
    expect(await say(alice, large.id, '@room standup')).toMatchObject({ mentionsRoom: true, mentions: [] });
    await alice.api.rooms.setRole.mutate({ roomId: large.id, userId: bob.id, role: 'admin' });
    expect(await say(bob, large.id, '@room done')).toMatchObject({ mentionsRoom: true });
  });

  it('are counted beside unread in rooms.list and live in events.user, and recounted on read, edit and delete', async () => {
    const hearth = await hearthWith();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await acquaint(alice, bob); // an ordinary member: she reaches them as contacts (chat/reach.ts)
    const room = await createRoom({ by: alice, members: [bob] });
    const bobs = watchUser(bob);
    await bobs.ready();
    const first = await say(alice, room.id, '@bob look');
    await say(alice, room.id, 'plain');
    const third = await say(alice, room.id, '@room all of you');
    await say(bob, room.id, 'mine, @bob'); // his own: counts nothing
    await until(() => bobs.counts(room.id).length === 4);
    expect(bobs.counts(room.id)).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    const listed = () => bob.api.rooms.list.query().then((rooms) => rooms.filter((r) => r.id === room.id).map((r) => [r.unread, r.mentions]));
    expect(await listed()).toEqual([[3, 2]]);
    await alice.api.messages.edit.mutate({ messageId: first.id, body: 'look (no one)' });
    await until(() => bobs.counts(room.id).length === 5);
    expect(bobs.counts(room.id).at(-1)).toEqual([3, 1]);
    await alice.api.messages.delete.mutate({ messageId: third.id });
    await until(() => bobs.counts(room.id).length === 6);
    expect(bobs.counts(room.id).at(-1)).toEqual([2, 0]);
    await say(alice, room.id, 'again @BOB');
    await until(() => bobs.counts(room.id).length === 7);
    expect(bobs.counts(room.id).at(-1)).toEqual([3, 1]);
    const { lastSeq } = await bob.api.rooms.get.query({ roomId: room.id });
    await bob.api.messages.markRead.mutate({ roomId: room.id, seq: lastSeq });
    await until(() => bobs.counts(room.id).length === 8);
    expect(bobs.counts(room.id).at(-1)).toEqual([0, 0]);
    expect(await listed()).toEqual([[0, 0]]);
  });
});
