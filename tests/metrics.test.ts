import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLocalRequest } from '../src/server/http/client-ip.ts';
import { createRoom, people, range, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { scrape } from './helpers/metrics.ts';
import { closed, opened, rawSocket, refusedStatus, until } from './helpers/raw-ws.ts';
import { startServer, TestClock } from './helpers/server.ts';

const delta = (before: Map<string, number>, after: Map<string, number>, series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);

describe('GET /metrics', () => {
  it('moves each counter by what a scripted scenario did', async () => {
    // A frozen clock: the 7-message and 10-typing-start buckets do not refill.
    const hearth = await startServer({ clock: new TestClock(), env: { MESSAGE_BURST: '7', TYPING_STARTS_PER_MINUTE: '10' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const start = await scrape(hearth.url);

    // Three sockets, four subscriptions (three room streams, one user stream).
    const aliceTabs = [alice.connect(), alice.connect()];
    const bobs = bob.connect();
    const streams = [...aliceTabs, bobs].map((client) => watchRoom(client, room.id));
    const unread: unknown[] = [];
    bobs.trpc.events.user.subscribe(undefined, { onData: (e) => unread.push(e) });
    await until(() => streams.every((s) => s.started) && unread.length === 1);
    // Presence announcements settle: one more per user queues behind any still running, and is the last.
    await Promise.all([alice.id, bob.id].map((userId) => hearth.server.websocket.connections.announce(userId)));
    const online = [alice.id, bob.id].sort();
    const lastPresence = (stream: (typeof streams)[number]) => stream.received.flatMap(({ event }) => (event.type === 'presence' ? [event.online] : [])).at(-1);
    await until(() => streams.every((stream) => String(lastPresence(stream)) === String(online)));
    const live = await scrape(hearth.url);
    expect(live.get('hearth_websocket_connections')).toBe(3);
    expect(live.get('hearth_subscriptions')).toBe(4);

    // Five messages: three room streams and Bob's unread count each get every one.
    for (const i of range(1, 5)) await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` });
    await until(() => streams.every((s) => s.seqs().length === 5) && unread.length === 6);
    const sent = await scrape(hearth.url);
    expect(delta(live, sent, 'hearth_messages_received_total')).toBe(5);
    expect(delta(live, sent, 'hearth_deliveries_total')).toBe(5 * 3 + 5);

    // Refusals of every kind, once each (twice for tokens: HTTP and WebSocket).
    for (const i of range(6, 8)) await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` }).catch(() => {});
    for (const _ of range(1, 11)) {
      await bob.api.typing.set.mutate({ roomId: room.id, typing: true });
      await bob.api.typing.set.mutate({ roomId: room.id, typing: false });
    }
    await rejection(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: 'not the password' }));
    await rejection(hearth.client({ token: 'forged-token-http' }).trpc.auth.me.query());
    const forged = rawSocket(hearth.url, { authorization: 'Bearer forged-token-ws' });
    await opened(forged);
    await closed(forged);
    expect(await refusedStatus(rawSocket(hearth.url, { origin: 'https://evil.example' }))).toBe(403);
    // A resubscription from a last event id.
    const resumed = watchRoom(bob.connect(), room.id, '3');
    await until(() => resumed.seqs().length === 6); // seqs 4-9: five messages and two more, after two joins
    expect(resumed.seqs()).toEqual(range(4, 9));

    const end = await scrape(hearth.url);
    expect(delta(start, end, 'hearth_messages_received_total')).toBe(7);
    expect(delta(start, end, 'hearth_rate_limited_total{kind="message"}')).toBe(1);
    expect(delta(start, end, 'hearth_rate_limited_total{kind="typing"}')).toBe(1);
    expect(delta(start, end, 'hearth_rate_limited_total{kind="ws_connect"}')).toBe(0);
    expect(delta(start, end, 'hearth_auth_failures_total{reason="login"}')).toBe(1);
    expect(delta(start, end, 'hearth_auth_failures_total{reason="token"}')).toBe(2);
    expect(delta(start, end, 'hearth_connections_refused_total{reason="origin"}')).toBe(1);
    expect(delta(start, end, 'hearth_resubscriptions_total')).toBe(1);
    expect(delta(start, end, 'hearth_slow_consumers_total')).toBe(0);
    expect(end.get('hearth_websocket_connections')).toBe(4);
    expect(end.get('hearth_subscriptions')).toBe(5);
    // Latency figures: the bus round trip, database calls by operation, the process's own.
    expect(end.get('hearth_event_bus_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(end.get('hearth_event_bus_lag_seconds')).toBeLessThan(1);
    // Store operations, named the same whichever store runs them.
    expect(delta(start, end, 'hearth_db_query_duration_seconds_count{operation="messages.append"}')).toBe(7);
    expect(delta(start, end, 'hearth_db_query_duration_seconds_count{operation="rooms.create"}')).toBe(0);
    expect(end.get('hearth_db_query_duration_seconds_count{operation="rooms.create"}')).toBe(1);
    expect(end.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(end.has('process_resident_memory_bytes')).toBe(true);
    // The probe's listener is gone once the scrape is done.
    // Sessions; the hub's one listener on the room; Bob's user stream on his channel and the room's.
    expect(hearth.server.services.bus.listenerCount()).toBe(4);
  });

  it('serves loopback clients only, not requests relayed by a proxy, unless a token is configured', async () => {
    const open = await startServer();
    expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    const relayed = await fetch(`${open.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(relayed.status).toBe(403);
    const peer = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.8.9.10'].map((a) => isLocalRequest(peer(a)))).toEqual([true, true, true, true]);
    expect(['192.0.2.2', '::ffff:10.0.0.1', 'fd00::2'].map((a) => isLocalRequest(peer(a)))).toEqual([false, false, false]);
    expect(isLocalRequest(peer('127.0.0.1', { forwarded: 'for=203.0.113.5' }))).toBe(false);

    const token = 'a-long-metrics-token-for-prometheus';
    const guarded = await startServer({ env: { METRICS_TOKEN: token } });
    expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const allowed = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.5' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await allowed.text()).toContain('# TYPE hearth_rate_limited_total counter');
  });
});
