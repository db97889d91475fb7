import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { CloseCode, parseRefusalReason, REPLACED_REASON } from '../src/shared/wire.ts';
import type { WireAnswer } from './helpers/errors.ts';
import { createRoom, people } from './helpers/chat.ts';
import { closed, messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { metric } from './helpers/metrics.ts';
import { realLimits, startServer, TestClock } from './helpers/server.ts';
import { exchange, rawRequest } from './helpers/raw-http.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('connection caps', () => {
  it("a user's sixth socket is admitted and works; their oldest is closed with 4409 and the reason, so they never hold more than 5", async () => {
    const hearth = await startServer({ env: realLimits() });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    // One by one, so the order they bind in (the oldest first) is known.
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const ws = rawSocket(hearth.url, bearer(alice.token));
      await opened(ws);
      sockets.push(ws);
      await until(() => hearth.server.websocket.connections.size === i + 1);
    }
    const firstClosed = closed(sockets[0]!);

    const sixth = rawSocket(hearth.url, bearer(alice.token));
    const answers = messages(sixth) as WireAnswer[];
    await opened(sixth);
    expect(await firstClosed).toEqual({ code: CloseCode.replaced, reason: REPLACED_REASON });
    sixth.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me' } }));
    await until(() => answers.some((a) => a.id === 1));
    expect(answers.find((a) => a.id === 1)?.result).toMatchObject({ data: { id: alice.id } });
    expect(sockets.slice(1).map((ws) => ws.readyState)).toEqual([1, 1, 1, 1]);
    await until(() => hearth.server.websocket.admission.counts.total === 5);
    expect(hearth.server.websocket.connections.size).toBe(5);

    // A token sent after the handshake (connectionParams) replaces the next oldest the same way.
    const secondClosed = closed(sockets[1]!);
    const late = rawSocket(hearth.url, {}, '?connectionParams=1');
    await opened(late);
    late.send(JSON.stringify({ method: 'connectionParams', data: { token: alice.token } }));
    expect((await secondClosed).code).toBe(CloseCode.replaced);
    expect(late.readyState).toBe(late.OPEN);

    // Others are not affected.
    const bobs = rawSocket(hearth.url, bearer(bob.token));
    await opened(bobs);
    await until(() => hearth.server.websocket.connections.size === 6);
    expect(await metric(hearth, 'hearth_connections_refused_total', { reason: 'user_cap' })).toBe(2);
  });

  it("Hearth's own client, replaced (4409), stops instead of coming back to close another of the user's connections", async () => {
    const hearth = await startServer({ env: { ...realLimits(), MAX_CONNECTIONS_PER_USER: '1' } });
    const { alice } = await people(hearth, 'alice');
    const older = hearth.client({ token: alice.token, transport: 'ws' });
    const stream = older.trpc.events.user.subscribe(undefined, {});
    await until(() => hearth.server.websocket.connections.size === 1);
    const newer = hearth.client({ token: alice.token, transport: 'ws' });
    expect(await newer.trpc.auth.me.query()).toMatchObject({ id: alice.id });
    await until(() => older.ws.connectionState.get().state === 'idle'); // closed for good, not 'connecting'
    expect(hearth.server.websocket.connections.size).toBe(1);
    expect(hearth.server.websocket.admission.counts).toMatchObject({ users: 1, authenticated: 1 });
    stream.unsubscribe();
  });

  it('an office of 50 people with 2 tabs each, behind one address, is back within seconds of a restart, and pays nothing from the address', async () => {
    const hearth = await startServer({ env: realLimits() });
    const names = Array.from({ length: 50 }, (_, i) => `person${i}`);
    const office = Object.values(await people(hearth, ...names));
    // Real clients, each with its user stream: they reconnect and resubscribe by themselves.
    const tabs = office.flatMap((person) => [0, 1].map(() => hearth.client({ token: person.token, transport: 'ws' })));
    const subscriptions = tabs.map((tab) => tab.trpc.events.user.subscribe(undefined, {}));
    await until(() => hearth.server.websocket.connections.size === 100, 20_000);

    hearth.server.websocket.closeAll(); // what a restart does to every client: 1012, reconnect
    await until(() => hearth.server.websocket.connections.size < 100);
    const started = Date.now();
    await until(() => hearth.server.websocket.connections.size === 100, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const reason of ['ip_rate', 'ip_cap', 'user_cap']) expect(await metric(hearth, 'hearth_connections_refused_total', { reason })).toBe(0);

    // Their connections were charged to them: the address can still open its whole burst.
    const anonymous = Array.from({ length: 100 }, () => rawSocket(hearth.url));
    await Promise.all(anonymous.map(opened));
    await until(() => hearth.server.websocket.admission.counts.total === 200);
    expect(anonymous.every((ws) => ws.readyState === ws.OPEN)).toBe(true);
    expect(await metric(hearth, 'hearth_connections_refused_total', { reason: 'ip_rate' })).toBe(0);
    subscriptions.forEach((s) => s.unsubscribe());
  });

  it('a flood without a session from one address: 120 sockets, then each is closed at once with 4429, why and when to retry; one more fits later', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: realLimits() });
    await Promise.all(Array.from({ length: 120 }, () => opened(rawSocket(hearth.url))));
    const refused = rawSocket(hearth.url);
    await opened(refused); // the handshake is answered, so a browser can read the close code and reason
    expect(await closed(refused)).toEqual({ code: CloseCode.tooManyConnections, reason: 'Too many new connections from this address; retry in 1 s' });
    expect(parseRefusalReason('Too many new connections from this address; retry in 1 s')).toEqual({
      message: 'Too many new connections from this address',
      retryAfterSeconds: 1,
    });
    expect(hearth.server.websocket.wss.clients.size).toBe(120);
    expect(hearth.server.websocket.admission.counts.total).toBe(120);

    // Not a handshake a close frame can answer: the HTTP status and Retry-After.
    const bare = await exchange(
      hearth.url,
      rawRequest('GET /api/trpc HTTP/1.1', [
        ['Host', 'localhost'],
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
      ]),
    );
    expect(bare).toMatchObject({ status: 429, headers: { 'retry-after': '1' }, body: 'Too many new connections from this address\n' });

    clock.advance(500); // 120 a minute: a token every 500 ms
    await opened(rawSocket(hearth.url));
    const next = rawSocket(hearth.url);
    expect((await closed(next)).code).toBe(CloseCode.tooManyConnections);
    expect(await metric(hearth, 'hearth_connections_refused_total', { reason: 'ip_rate' })).toBe(3);
  });

  it("charges a user's connections to them while they have tokens, then to their address like anyone's", async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { ...realLimits(), WS_CONNECTS_PER_MINUTE_PER_USER: '2', WS_CONNECTS_PER_MINUTE_PER_IP: '3' } });
    const { alice } = await people(hearth, 'alice');
    for (let i = 0; i < 5; i++) {
      await opened(rawSocket(hearth.url, bearer(alice.token)));
      await until(() => hearth.server.websocket.connections.size === i + 1);
    }
    // 2 paid by alice, 3 by the address (had alice not paid, the 4th would have been refused), and the address is empty now.
    expect(await closed(rawSocket(hearth.url, bearer(alice.token)))).toEqual({
      code: CloseCode.tooManyConnections,
      reason: 'Too many new connections from this address; retry in 20 s',
    });
    expect(hearth.server.websocket.connections.size).toBe(5);
  });
  it('caps open sockets per address (429) and in all (503)', async () => {
    const perAddress = await startServer({ env: { MAX_CONNECTIONS_PER_IP: '3' } });
    const three = Array.from({ length: 3 }, () => rawSocket(perAddress.url));
    await Promise.all(three.map(opened));
    expect(await closed(rawSocket(perAddress.url))).toEqual({
      code: CloseCode.tooManyConnections,
      reason: 'Too many open connections from this address; retry in 10 s',
    });
    three[0]!.close();
    await until(() => perAddress.server.websocket.admission.counts.total === 2);
    await opened(rawSocket(perAddress.url));

    const full = await startServer({ env: { MAX_CONNECTIONS: '2' } });
    await Promise.all([rawSocket(full.url), rawSocket(full.url)].map(opened));
    expect(await closed(rawSocket(full.url))).toEqual({ code: CloseCode.tooManyConnections, reason: 'The server is at its connection limit; retry in 10 s' });
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
