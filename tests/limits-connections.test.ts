import { describe, expect, it } from 'vitest';
import { CloseCode } from '../src/shared/wire.ts';
import type { WireAnswer } from './helpers/errors.ts';
import { createRoom, people } from './helpers/chat.ts';
import { closed, messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { metric } from './helpers/metrics.ts';
import { realLimits, startServer, TestClock } from './helpers/server.ts';
import { refusal } from './helpers/upgrade.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('connection caps', () => {
  it('lets a user hold 5 sockets: the 6th upgrade gets 429 and no socket, a 6th sent its token later is closed with 4429', async () => {
    const hearth = await startServer({ env: { ...realLimits(), WS_CONNECTS_PER_MINUTE_PER_IP: '100' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const sockets = Array.from({ length: 5 }, () => rawSocket(hearth.url, bearer(alice.token)));
    await Promise.all(sockets.map(opened));
    await until(() => hearth.server.websocket.connections.size === 5);

    const sixth = await refusal(rawSocket(hearth.url, bearer(alice.token)));
    expect(sixth).toMatchObject({ status: 429, body: 'Too many connections for this user' });
    expect(hearth.server.websocket.wss.clients.size).toBe(5);

    // The token in connectionParams is only known after the handshake: refused then, typed.
    const late = rawSocket(hearth.url, {}, '?connectionParams=1');
    const frames = messages(late);
    await opened(late);
    late.send(JSON.stringify({ method: 'connectionParams', data: { token: alice.token } }));
    expect((await closed(late)).code).toBe(CloseCode.tooManyConnections);
    expect(frames).toEqual([
      expect.objectContaining({ id: null, error: expect.objectContaining({ data: expect.objectContaining({ code: 'TOO_MANY_REQUESTS' }) }) }),
    ]);

    // Others are not affected; and a place freed is a place taken.
    const bobs = rawSocket(hearth.url, bearer(bob.token));
    await opened(bobs);
    sockets[0]!.close();
    await until(() => hearth.server.websocket.admission.counts.total === 5);
    await opened(rawSocket(hearth.url, bearer(alice.token)));
    await until(() => hearth.server.websocket.connections.size === 6);
    expect(await metric(hearth, 'hearth_connections_refused_total', { reason: 'user_cap' })).toBe(2);
  });

  it('takes 5 new sockets a minute from one address: the 6th gets 429 with Retry-After, and one more fits 12 s later', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: realLimits() });
    for (let i = 0; i < 5; i++) await opened(rawSocket(hearth.url));
    const sixth = await refusal(rawSocket(hearth.url));
    expect(sixth).toEqual({ status: 429, body: 'Too many new connections from this address', retryAfter: '12' });
    expect(hearth.server.websocket.wss.clients.size).toBe(5);
    clock.advance(12_000);
    await opened(rawSocket(hearth.url));
    expect((await refusal(rawSocket(hearth.url))).status).toBe(429);
  });

  it('caps open sockets per address (429) and in all (503)', async () => {
    const perAddress = await startServer({ env: { MAX_CONNECTIONS_PER_IP: '3' } });
    const three = Array.from({ length: 3 }, () => rawSocket(perAddress.url));
    await Promise.all(three.map(opened));
    expect(await refusal(rawSocket(perAddress.url))).toMatchObject({ status: 429, body: 'Too many open connections from this address' });
    three[0]!.close();
    await until(() => perAddress.server.websocket.admission.counts.total === 2);
    await opened(rawSocket(perAddress.url));

    const full = await startServer({ env: { MAX_CONNECTIONS: '2' } });
    await Promise.all([rawSocket(full.url), rawSocket(full.url)].map(opened));
    expect(await refusal(rawSocket(full.url))).toEqual({ status: 503, body: 'The server is at its connection limit; try again later', retryAfter: '10' });
    expect(full.server.websocket.wss.clients.size).toBe(2);
  });

  it('closes sockets that have no session after WS_AUTH_TIMEOUT_MS with 4401, and only those', async () => {
    const hearth = await startServer({ env: { WS_AUTH_TIMEOUT_MS: '300' } });
    const { alice } = await people(hearth, 'alice');
    const anonymous = rawSocket(hearth.url);
    const silent = rawSocket(hearth.url, {}, '?connectionParams=1'); // never sends its params
    const signedIn = rawSocket(hearth.url, bearer(alice.token));
    await Promise.all([anonymous, silent, signedIn].map(opened));
    const started = Date.now();
    const [a, s] = await Promise.all([closed(anonymous), closed(silent)]);
    expect([a.code, s.code]).toEqual([CloseCode.unauthorized, CloseCode.unauthorized]);
    expect(a.reason).toBe('Authentication required');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // The sentinel: an anonymous socket opened after the signed-in one, so its deadline comes later.
    const sentinel = rawSocket(hearth.url);
    await opened(sentinel);
    expect((await closed(sentinel)).code).toBe(CloseCode.unauthorized);
    expect(signedIn.readyState).toBe(signedIn.OPEN);
    expect(await metric(hearth, 'hearth_auth_failures_total', { reason: 'timeout' })).toBe(3);
  });
});

describe('subscriptions per connection', () => {
  it('refuses the one past MAX_SUBSCRIPTIONS_PER_CONNECTION with TOO_MANY_REQUESTS, room or user stream alike, until one ends', async () => {
    const hearth = await startServer({ env: { MAX_SUBSCRIPTIONS_PER_CONNECTION: '3' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const ws = rawSocket(hearth.url, bearer(alice.token));
    const seen = messages(ws) as WireAnswer[];
    await opened(ws);
    const subscribe = (id: number, path: string) =>
      ws.send(JSON.stringify({ id, method: 'subscription', params: { path, input: path === 'events.room' ? { roomId: room.id } : undefined } }));
    const outcome = (id: number) => seen.find((f) => f.id === id && (f.error || f.result?.type === 'started'));
    subscribe(1, 'events.room');
    subscribe(2, 'events.user');
    subscribe(3, 'events.room');
    await until(() => [1, 2, 3].every((id) => outcome(id)));
    subscribe(4, 'events.room');
    subscribe(5, 'events.user');
    await until(() => Boolean(outcome(4) && outcome(5)));
    expect([1, 2, 3].map((id) => outcome(id)?.result?.type)).toEqual(['started', 'started', 'started']);
    expect([4, 5].map((id) => outcome(id)?.error?.data?.code)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect(hearth.server.services.metrics.subscriptions).toBe(3);

    // Stopping the user stream (served by tRPC itself) gives its slot back.
    ws.send(JSON.stringify({ id: 2, method: 'subscription.stop' }));
    await until(() => hearth.server.services.metrics.subscriptions === 2);
    subscribe(6, 'events.room');
    await until(() => Boolean(outcome(6)));
    expect(outcome(6)?.result?.type).toBe('started');
    expect(ws.readyState).toBe(ws.OPEN);
  });
});
