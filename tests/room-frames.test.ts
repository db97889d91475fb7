import { describe, expect, it } from 'vitest';
import type { RoomFrame } from './helpers/errors.ts';
import { createRoom, people } from './helpers/chat.ts';
import { messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/**
 * events.room is served by the room fan-out, not tRPC's adapter, on the same
 * wire protocol: these pin the frames the stock client relies on.
 */
describe("the room stream's frame writer speaks tRPC v11", () => {
  async function setup() {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const ws = rawSocket(hearth.url, {}, '?connectionParams=1');
    const seen = messages(ws) as RoomFrame[];
    await opened(ws);
    ws.send(JSON.stringify({ method: 'connectionParams', data: { token: alice.token } }));
    return { hearth, alice, room, ws, seen };
  }

  it('handles a batch mixing a room subscription and a query; frames are started, data, tracked data', async () => {
    const { hearth, alice, room, ws, seen } = await setup();
    ws.send(
      JSON.stringify([
        { id: 1, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id } } },
        { id: 2, method: 'query', params: { path: 'auth.me', input: undefined } },
      ]),
    );
    await until(() => seen.length >= 3);
    expect(seen).toContainEqual({ id: 1, result: { type: 'started' } });
    expect(seen).toContainEqual({ id: 2, result: { type: 'data', data: expect.objectContaining({ username: 'alice' }) } });
    // The opening presence is tracked at the stream's starting point (seq 1: the join), so even a
    // client that drops before any message has a last event id to resume from.
    const presence = { type: 'presence', roomId: room.id, online: [alice.id] };
    expect(seen).toContainEqual({ id: 1, result: { type: 'data', id: '1', data: { id: '1', data: presence } } });
    expect(hearth.server.services.hub.size).toBe(1);

    const message = await alice.api.messages.send.mutate({ roomId: room.id, body: 'hi', clientMessageId: 'a1' });
    const tracked = () => seen.filter((frame) => frame.result?.id !== undefined && frame.result.data?.data.type !== 'presence');
    await until(() => tracked().length === 1);
    expect(tracked()).toEqual([
      { id: 1, result: { type: 'data', id: '2', data: { id: '2', data: { type: 'message.created', roomId: room.id, seq: 2, message } } } },
    ]);

    ws.send(JSON.stringify({ id: 1, method: 'subscription.stop' }));
    await until(() => seen.at(-1)?.result?.type === 'stopped');
    expect(seen.at(-1)).toEqual({ id: 1, result: { type: 'stopped' } });
    expect(hearth.server.services.hub.size).toBe(0);
    expect(hearth.server.services.metrics.subscriptions).toBe(0);
    expect(hearth.server.services.bus.listenerCount()).toBe(1);
    ws.close();
  });

  it('gives even a fresh subscription a point to resume from: a drop before any message loses nothing', async () => {
    const { hearth, alice, room, ws, seen } = await setup();
    ws.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id } } }));
    await until(() => seen.some((m) => m.result?.id !== undefined));
    const resumeFrom = seen.find((m) => m.result?.id !== undefined)!.result!.id!; // what tRPC's client keeps as lastEventId
    ws.close();
    for (const i of [1, 2, 3]) await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` });

    const again = rawSocket(hearth.url, {}, '?connectionParams=1');
    const seenAgain = messages(again) as RoomFrame[];
    await opened(again);
    again.send(JSON.stringify({ method: 'connectionParams', data: { token: alice.token } }));
    again.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id }, lastEventId: resumeFrom } }));
    const bodies = () => seenAgain.filter((m) => m.result?.data?.data?.type === 'message.created').map((m) => m.result!.data!.data.message.body);
    await until(() => bodies().length === 3);
    expect(resumeFrom).toBe('1');
    expect(bodies()).toEqual(['m1', 'm2', 'm3']);
    again.close();
  });

  it("resumes after params.lastEventId, refuses a duplicate id, and leaves bad input and non-members to tRPC's typed errors", async () => {
    const { hearth, alice, room, ws, seen } = await setup();
    for (const i of [1, 2, 3]) await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` });
    const { mallory } = await people(hearth, 'mallory');
    const secret = await createRoom({ by: mallory, name: 'secret' });
    ws.send(JSON.stringify({ id: 7, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id }, lastEventId: '2' } }));
    ws.send(JSON.stringify({ id: 8, method: 'subscription', params: { path: 'events.room', input: { roomId: 'nope' } } }));
    ws.send(JSON.stringify({ id: 9, method: 'subscription', params: { path: 'events.room', input: { roomId: secret.id } } }));
    await until(() => seen.filter((m) => m.id === 7).length === 4 && seen.some((m) => m.id === 8) && seen.some((m) => m.id === 9));
    // Started, the presence tracked at the resume point, then exactly the missed run.
    expect(seen.filter((m) => m.id === 7 && m.result?.id).map((m) => [m.result!.id, m.result!.data!.data.type])).toEqual([
      ['2', 'presence'],
      ['3', 'message.created'],
      ['4', 'message.created'],
    ]);
    expect(seen.find((m) => m.id === 8)?.error?.data?.code).toBe('BAD_REQUEST');
    expect(seen.find((m) => m.id === 9)?.error?.data?.code).toBe('NOT_FOUND');

    ws.send(JSON.stringify({ id: 7, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id } } }));
    await until(() => seen.some((m) => m.id === 7 && m.error));
    expect(seen.find((m) => m.id === 7 && m.error)?.error?.data?.code).toBe('BAD_REQUEST');
    expect(hearth.server.services.hub.size).toBe(1);
    ws.close();
    await until(() => hearth.server.services.hub.size === 0);
  });
});
