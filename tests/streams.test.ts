import { describe, expect, it } from 'vitest';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { acquaint, applyEvents, createRoom, people, range, watchRoom } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/** Durable events: tracked ones, less the opening presence (tracked at the cursor so a client can resume from it). */
const durable = (events: { id?: string; event: RoomStreamEvent }[]) => events.filter((e) => e.id !== undefined && e.event.type !== 'presence');

describe('events.room', () => {
  it('delivers 500 interleaved messages from two users to all four of their connections exactly once, in seq order', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] }); // seqs 1, 2
    const streams = [alice.connect(), alice.connect(), bob.connect(), bob.connect()].map((c) => watchRoom(c, room.id));
    await until(() => streams.every((s) => s.started));

    const sends = range(1, 250).flatMap((i) => [
      alice.api.messages.send.mutate({ roomId: room.id, body: `alice ${i}`, clientMessageId: `a${i}` }),
      bob.api.messages.send.mutate({ roomId: room.id, body: `bob ${i}`, clientMessageId: `b${i}` }),
    ]);
    const sent = await Promise.all(sends);
    expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(range(3, 502));

    // Nothing extra arrives: a sentinel behind the 500, and nothing but them before it.
    const sentinel = await alice.api.messages.send.mutate({ roomId: room.id, body: 'sentinel', clientMessageId: 'sentinel' });
    await until(() => streams.every((s) => s.seqs().includes(sentinel.seq)), 20_000);
    for (const stream of streams) {
      expect(stream.seqs()).toEqual(range(3, sentinel.seq));
      const created = durable(stream.received);
      expect(new Set(created.map((r) => (r.event.type === 'message.created' ? r.event.message.id : null))).size).toBe(501);
      expect(created.every((r) => r.id === String((r.event as { seq: number }).seq))).toBe(true);
    }
  });

  it('a fresh subscription starts at the present; lastEventId replays exactly the missed run, edits and deletes included', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'before', clientMessageId: 'a0' });

    const bobsPhone = bob.connect();
    const live = watchRoom(bobsPhone, room.id);
    await until(() => live.started);
    const early = await alice.api.messages.send.mutate({ roomId: room.id, body: 'seen live', clientMessageId: 'a1' });
    await until(() => live.seqs().length === 1);
    expect(live.seqs()).toEqual([early.seq]); // nothing from before the subscription
    live.unsubscribe();
    const lastSeen = live.lastId()!;

    // 300 messages while Bob is away; some edited, some deleted (his own first message too).
    const sent = [];
    for (const i of range(1, 300)) {
      sent.push(await alice.api.messages.send.mutate({ roomId: room.id, body: `away ${i}`, clientMessageId: `w${i}` }));
    }
    for (const i of range(0, 29)) await alice.api.messages.edit.mutate({ messageId: sent[i * 10]!.id, body: `edited ${i}` });
    for (const i of range(0, 19)) await alice.api.messages.delete.mutate({ messageId: sent[i * 15 + 1]!.id });
    await alice.api.messages.delete.mutate({ messageId: early.id });
    const lastSeq = (await hearth.server.services.store.prisma.room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq;

    const resumed = watchRoom(bob.connect(), room.id, lastSeen);
    await until(() => resumed.seqs().length === lastSeq - Number(lastSeen), 10_000);
    expect(resumed.seqs()).toEqual(range(Number(lastSeen) + 1, lastSeq));
    const types = durable(resumed.received).map((r) => r.event.type);
    expect(types.filter((t) => t === 'message.created')).toHaveLength(300);
    expect(types.filter((t) => t === 'message.updated')).toHaveLength(30);
    expect(types.filter((t) => t === 'message.deleted')).toHaveLength(21);
    // No replayed event carries a deleted message's text.
    expect(JSON.stringify(resumed.received)).not.toMatch(/"body":"(away (2|17|32)|seen live)"/);

    // Bob's view, rebuilt from what he saw live plus the replay, equals history.
    const state = applyEvents([...live.received, ...resumed.received], new Map([['before', { body: 'before', seq: 3 }]]));
    state.delete('before');
    const history = [];
    let beforeSeq: number | undefined;
    do {
      const page = await bob.api.messages.history.query({ roomId: room.id, limit: 200, beforeSeq });
      history.unshift(...page.messages);
      beforeSeq = page.nextBeforeSeq ?? undefined;
    } while (beforeSeq !== undefined);
    const expected = history.filter((m) => m.body !== 'before').map((m) => [m.id, m.body, m.seq]);
    expect([...state].map(([id, m]) => [id, m.body, m.seq]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual(expected);
  });

  it('says reset (tracked at the last seq) when the gap exceeds REPLAY_LIMIT', async () => {
    const hearth = await startServer({ env: { REPLAY_LIMIT: '50' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    for (const i of range(1, 60)) await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` });
    const stream = watchRoom(alice.connect(), room.id, '1');
    await until(() => durable(stream.received).length === 1);
    expect(durable(stream.received)).toEqual([{ id: '61', event: { type: 'reset', roomId: room.id, lastSeq: 61 } }]);
    const next = await alice.api.messages.send.mutate({ roomId: room.id, body: 'after', clientMessageId: 'after' });
    await until(() => durable(stream.received).length === 2);
    expect(durable(stream.received)[1]).toMatchObject({ id: String(next.seq), event: { type: 'message.created' } });

    const small = watchRoom(alice.connect(), room.id, '20'); // 42 missed: under the limit, replayed
    await until(() => small.seqs().length === 42);
    expect(small.seqs()).toEqual(range(21, 62));
  });

  it("ends a removed member's stream at once: they see their removal and nothing after", async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started);
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'hi bob', clientMessageId: 'a1' });
    await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id });
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'bob is gone', clientMessageId: 'a2' });
    await until(() => stream.completed);
    expect(durable(stream.received).map((r) => r.event.type)).toEqual(['message.created', 'member.left']);
    expect(hearth.server.services.bus.listenerCount()).toBe(1); // only the registry's session listener
  });

  it('is closed with the socket when the session is revoked; listeners return to zero', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const client = alice.connect();
    const stream = watchRoom(client, room.id);
    await until(() => stream.started);
    expect(hearth.server.services.bus.listenerCount()).toBe(2);
    await alice.api.auth.logout.mutate();
    await until(() => hearth.server.services.bus.listenerCount() === 1);
    expect(hearth.server.websocket.connections.size).toBe(0);
  });
});

describe('events.user', () => {
  it('tells me about rooms added and removed and keeps my unread counts current across devices', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await acquaint(bob, alice); // so bob may add alice (chat/reach.ts); before alice's stream starts
    const first = await createRoom({ by: bob, members: [alice], name: 'first' });
    await bob.api.messages.send.mutate({ roomId: first.id, body: 'one', clientMessageId: 'b1' });

    const events: unknown[] = [];
    // Rooms and counts only: the notifications of being added (notifications.test.ts) are not this test's.
    const counted = (e: { type: string }) => e.type !== 'notification' && e.type !== 'notifications.read';
    const sub = alice.connect().trpc.events.user.subscribe(undefined, { onData: (e) => void (counted(e) && events.push(e)) });
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ type: 'unread', roomId: first.id, unread: 1, mentions: 0, lastSeq: 3 });

    const second = await createRoom({ by: bob, members: [alice], name: 'second' });
    await until(() => events.length === 3);
    expect(events.slice(1)).toEqual([
      { type: 'room.added', roomId: second.id },
      { type: 'unread', roomId: second.id, unread: 0, mentions: 0, lastSeq: 2 },
    ]);

    const two = await bob.api.messages.send.mutate({ roomId: second.id, body: 'two', clientMessageId: 'b2' });
    await alice.api.messages.send.mutate({ roomId: second.id, body: 'my own', clientMessageId: 'a1' });
    await until(() => events.length === 4);
    expect(events[3]).toEqual({ type: 'unread', roomId: second.id, unread: 1, mentions: 0, lastSeq: two.seq });

    // Read on another device: this one hears the new count.
    await alice.api.messages.markRead.mutate({ roomId: first.id, seq: 3 });
    await until(() => events.length === 5);
    expect(events[4]).toEqual({ type: 'unread', roomId: first.id, unread: 0, mentions: 0, lastSeq: 3 });

    await bob.api.rooms.removeMember.mutate({ roomId: second.id, userId: alice.id });
    await until(() => events.length === 6);
    expect(events[5]).toEqual({ type: 'room.removed', roomId: second.id });
    sub.unsubscribe();
    await until(() => hearth.server.services.bus.listenerCount() === 1);
  });
});
