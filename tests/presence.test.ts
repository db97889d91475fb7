import { describe, expect, it } from 'vitest';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { createRoom, people, watchRoom } from './helpers/chat.ts';
import { opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const presenceOf = (received: { event: RoomStreamEvent }[]) => received.flatMap(({ event }) => (event.type === 'presence' ? [event.online] : []));

/** A browser tab: an authenticated socket, opened by a first call over it. */
async function openTab(hearth: TestServer, token: string) {
  const tab = hearth.client({ token, transport: 'ws' });
  await tab.trpc.auth.me.query();
  return tab;
}

describe('presence', () => {
  it('counts a user online while any tab is open: a second tab announces nothing, closing one of two changes nothing', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const stream = watchRoom(bob.connect(), room.id); // Bob's own socket: Bob is online
    await until(() => presenceOf(stream.received).length === 1); // the snapshot that opens every stream
    expect(presenceOf(stream.received)).toEqual([[bob.id]]);

    const first = await openTab(hearth, alice.token);
    await until(() => presenceOf(stream.received).length === 2);
    expect(presenceOf(stream.received)[1]).toEqual([alice.id, bob.id].sort());

    const second = await openTab(hearth, alice.token);
    const { metrics } = hearth.server.services;
    const open = metrics.connections;
    await first.close();
    await until(() => metrics.connections === open - 1); // the server has handled the close
    const members = await bob.api.rooms.members.query({ roomId: room.id });
    expect(members.find((m) => m.userId === alice.id)?.online).toBe(true);

    // The last close is the sentinel: Alice's announcements run in order, so one
    // made by the second tab or the first close would arrive before it.
    await second.close();
    await until(() => presenceOf(stream.received).length >= 3);
    expect(presenceOf(stream.received)).toEqual([[bob.id], [alice.id, bob.id].sort(), [bob.id]]);
    expect((await bob.api.rooms.members.query({ roomId: room.id })).map((m) => [m.userId, m.online])).toEqual([
      [alice.id, false],
      [bob.id, true],
    ]);
  });

  it('shows a client whose socket silently vanished (no close frame) offline after the keepAlive window', async () => {
    // A pong wait that a busy machine (the whole suite in parallel) cannot miss for Bob's own live socket.
    const hearth = await startServer({ env: { WS_PING_INTERVAL_MS: '1000', WS_PONG_WAIT_MS: '1500' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => presenceOf(stream.received).length === 1, 10_000);

    const ws = rawSocket(hearth.url, {}, '?connectionParams=1');
    await opened(ws);
    ws.send(JSON.stringify({ method: 'connectionParams', data: { token: alice.token } }));
    await until(() => presenceOf(stream.received).length === 2);
    // The network goes away: nothing is read or sent any more, and no close frame will come.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const cutAt = Date.now();
    await until(() => presenceOf(stream.received).length === 3, 8000);
    const elapsed = Date.now() - cutAt;
    expect(presenceOf(stream.received)[2]).toEqual([bob.id]);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000); // ping interval + pong wait (2.5 s at most), with slack
    ws.terminate();
  });
});
