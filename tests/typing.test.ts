import { describe, expect, it } from 'vitest';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { createRoom, people, sentinelMessage, sentinelTyping, watchRoom } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { startServer, TestClock } from './helpers/server.ts';

const typingOf = (received: { event: RoomStreamEvent }[]) =>
  received.flatMap(({ event }) => (event.type === 'typing' ? [[event.userId, event.typing] as const] : []));

async function setup(env: Record<string, string> = {}) {
  const clock = new TestClock();
  const hearth = await startServer({ clock, env });
  const { alice, bob } = await people(hearth, 'alice', 'bob');
  const room = await createRoom({ by: alice, members: [bob] });
  const bobs = watchRoom(bob.connect(), room.id);
  const alices = watchRoom(alice.connect(), room.id);
  await until(() => bobs.started && alices.started);
  const sweep = () => hearth.server.services.typing.sweep();
  return { hearth, clock, alice, bob, room, bobs, alices, sweep };
}

describe('typing', () => {
  it('shows to the other member, not to the typist; a stop clears it at once', async () => {
    const { alice, bob, room, bobs, alices } = await setup();
    await expect(alice.api.typing.set.mutate({ roomId: room.id, typing: true })).resolves.toEqual({ accepted: true });
    await until(() => typingOf(bobs.received).length === 1);
    expect(typingOf(bobs.received)).toEqual([[alice.id, true]]);
    await alice.api.typing.set.mutate({ roomId: room.id, typing: false });
    await until(() => typingOf(bobs.received).length === 2);
    expect(typingOf(bobs.received)).toEqual([
      [alice.id, true],
      [alice.id, false],
    ]);
    expect(typingOf(await recordedBefore(alices.received, sentinelTyping(bob, room.id)))).toEqual([]);
  });

  it('expires 5 s after the last refresh even without a stop', async () => {
    const { alice, bob, room, bobs, clock, sweep } = await setup();
    await alice.api.typing.set.mutate({ roomId: room.id, typing: true });
    clock.advance(3000);
    await alice.api.typing.set.mutate({ roomId: room.id, typing: true }); // refresh: no new event
    clock.advance(3000);
    await sweep();
    // 6 s after the start, 3 s after the refresh: still typing (Bob's own message does not touch Alice's typing).
    expect(typingOf(await recordedBefore(bobs.received, sentinelMessage(bob, room.id)))).toEqual([[alice.id, true]]);
    clock.advance(2000);
    await sweep();
    await until(() => typingOf(bobs.received).length === 2);
    expect(typingOf(bobs.received)).toEqual([
      [alice.id, true],
      [alice.id, false],
    ]);
  });

  it('ends when the typist sends their message', async () => {
    const { alice, room, bobs } = await setup();
    await alice.api.typing.set.mutate({ roomId: room.id, typing: true });
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'done typing', clientMessageId: 'a1' });
    await until(() => typingOf(bobs.received).length === 2);
    const order = bobs.received.filter((r) => r.event.type !== 'presence');
    expect(order.map((r) => (r.event.type === 'typing' ? `typing:${r.event.typing}` : r.event.type))).toEqual([
      'typing:true',
      'message.created',
      'typing:false',
    ]);
  });

  it('drops typing starts beyond 10 a minute without disturbing the connection', async () => {
    const { hearth, alice, room, bobs, clock } = await setup();
    const tab = hearth.client({ token: alice.token, transport: 'ws' });
    const accepted: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      accepted.push((await tab.trpc.typing.set.mutate({ roomId: room.id, typing: true })).accepted);
      await tab.trpc.typing.set.mutate({ roomId: room.id, typing: false });
    }
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(accepted.slice(0, 10).every(Boolean)).toBe(true);
    expect(hearth.server.services.typing.dropped).toBe(20);
    // The same socket keeps working.
    await expect(tab.trpc.messages.send.mutate({ roomId: room.id, body: 'still here', clientMessageId: 't1' })).resolves.toMatchObject({ body: 'still here' });
    await until(() => bobs.seqs().length === 1);
    expect(typingOf(bobs.received).filter(([, typing]) => typing)).toHaveLength(10);
    // A minute later the budget is back.
    clock.advance(60_000);
    await expect(tab.trpc.typing.set.mutate({ roomId: room.id, typing: true })).resolves.toEqual({ accepted: true });
  });

  it('is refused to non-members like every room-scoped call', async () => {
    const { hearth, room } = await setup();
    const { mallory } = await people(hearth, 'mallory');
    await expect(mallory.api.typing.set.mutate({ roomId: room.id, typing: true })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
  });
});
