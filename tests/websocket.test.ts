import { describe, expect, it } from 'vitest';
import { CloseCode } from '../src/shared/wire.ts';
import { rejection } from './helpers/errors.ts';
import { closed, messages, opened, rawSocket, refusedStatus, until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

describe('WebSocket transport', () => {
  it('authenticates with connectionParams and shares the database with HTTP', async () => {
    const hearth = await startServer();
    // Written over HTTP, read over the socket: one database client behind both.
    const { token, user } = await hearth.register('alice');
    const { trpc } = hearth.client({ token, transport: 'ws' });
    await expect(trpc.auth.me.query()).resolves.toMatchObject({ id: user.id, username: 'alice' });
    // And the other way round: a session started over the socket works over HTTP.
    const login = await trpc.auth.login.mutate({ username: 'alice', password: 'correct horse battery' });
    await expect(hearth.client({ token: login.token }).trpc.auth.me.query()).resolves.toMatchObject({ id: user.id });
  });

  it('closes every socket of a session logged out over HTTP, on the shared event bus, and no other', async () => {
    const hearth = await startServer();
    const first = await hearth.register('alice');
    const second = await hearth.client().trpc.auth.login.mutate({ username: 'alice', password: 'correct horse battery' });
    const refused: string[] = [];
    const clients = [first.token, first.token, second.token].map((token, i) =>
      hearth.client({ token, transport: 'ws', onAuthFailure: () => refused.push(`client ${i}`) }),
    );
    await Promise.all(clients.map((c) => c.trpc.auth.me.query()));
    expect(hearth.server.websocket.connections.size).toBe(3);

    // Logout arrives over HTTP; the sockets are closed by the WebSocket side,
    // which only hears of it through the event bus both transports share.
    await hearth.client({ token: first.token }).trpc.auth.logout.mutate();
    await until(() => refused.length === 2);
    expect(refused.sort()).toEqual(['client 0', 'client 1']);
    await until(() => hearth.server.websocket.connections.size === 1);
    await expect(clients[2]!.trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    // A later call with the dead token tries once and fails typed, no loop.
    const error = await rejection(clients[0]!.trpc.auth.me.query());
    expect(error.data?.code).toBe('UNAUTHORIZED');
  });

  it("refuses a bad token with UNAUTHORIZED and close code 4401; Hearth's client stops retrying", async () => {
    const hearth = await startServer();
    let upgrades = 0;
    hearth.server.httpServer.on('upgrade', () => upgrades++);

    const ws = rawSocket(hearth.url, {}, '?connectionParams=1');
    const seen = messages(ws);
    await opened(ws);
    ws.send(JSON.stringify({ method: 'connectionParams', data: { token: 'forged' } }));
    const close = await closed(ws);
    expect(close.code).toBe(CloseCode.unauthorized);
    expect(seen).toEqual([expect.objectContaining({ id: null, error: expect.objectContaining({ data: expect.objectContaining({ code: 'UNAUTHORIZED' }) }) })]);

    let authFailures = 0;
    const client = hearth.client({ token: 'forged', transport: 'ws', onAuthFailure: () => authFailures++ });
    const error = await rejection(client.trpc.auth.me.query());
    expect(error.data?.code).toBe('UNAUTHORIZED');
    await until(() => authFailures === 1);
    // The client closed itself on 4401, before any retry was scheduled; a
    // sentinel upgrade after that is the next one the server sees.
    await opened(rawSocket(hearth.url));
    expect(authFailures).toBe(1);
    expect(upgrades).toBe(3); // the raw socket, one attempt by the client, the sentinel: no retry loop
  });

  it('checks Origin at upgrade: foreign origins get 403 and no socket', async () => {
    const hearth = await startServer({ env: { ALLOWED_ORIGINS: 'https://chat.example.com' } });
    expect(await refusedStatus(rawSocket(hearth.url, { origin: 'https://evil.example' }))).toBe(403);
    expect(await refusedStatus(rawSocket(hearth.url, { origin: 'null' }))).toBe(403);
    expect(hearth.server.websocket.wss.clients.size).toBe(0);
    for (const origin of ['https://chat.example.com', hearth.url]) {
      const ws = rawSocket(hearth.url, { origin });
      await opened(ws);
      ws.close();
    }
    // Non-browser clients send no Origin and are let through (they still need a token).
    const service = rawSocket(hearth.url);
    await opened(service);
    service.close();
  });

  it('refuses upgrades on other paths with 404', async () => {
    const hearth = await startServer();
    const ws = new (await import('ws')).default(`${hearth.url.replace('http', 'ws')}/elsewhere`);
    expect(await refusedStatus(ws)).toBe(404);
  });

  it('closes a socket that sends an oversized frame with 1009; the server and other sockets live on', async () => {
    const hearth = await startServer({ env: { MAX_PAYLOAD_BYTES: String(64 * 1024) } });
    const { token } = await hearth.register('alice');
    const healthy = hearth.client({ token, transport: 'ws' });
    await expect(healthy.trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });

    const ws = rawSocket(hearth.url);
    await opened(ws);
    const close = closed(ws);
    ws.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me', input: 'x'.repeat(64 * 1024) } }));
    expect((await close).code).toBe(CloseCode.messageTooBig);

    await expect(healthy.trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    const status = await fetch(`${hearth.url}/healthz`);
    expect(status.status).toBe(200);
  });

  it('answers malformed frames with a typed error and keeps the socket', async () => {
    const hearth = await startServer();
    const ws = rawSocket(hearth.url);
    const seen = messages(ws);
    await opened(ws);
    ws.send('{not json');
    ws.send(JSON.stringify({ id: 2, method: 'query', params: { path: 'no.such.procedure' } }));
    await until(() => seen.length === 2);
    expect(seen).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ data: expect.objectContaining({ code: 'PARSE_ERROR' }) }) }),
      expect.objectContaining({ id: 2, error: expect.objectContaining({ data: expect.objectContaining({ code: 'NOT_FOUND' }) }) }),
    ]);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });

  it("terminates a client that stops answering keepAlive pings; Hearth's client answers them", async () => {
    const hearth = await startServer({ env: { WS_PING_INTERVAL_MS: '1000', WS_PONG_WAIT_MS: '500' } });
    const { token } = await hearth.register('alice');
    const live = hearth.client({ token, transport: 'ws' });
    await live.trpc.auth.me.query();

    const silent = rawSocket(hearth.url);
    silent.on('message', () => {}); // reads PING, never answers
    await opened(silent);
    const started = Date.now();
    const close = await closed(silent);
    expect(close.code).toBe(1006); // terminated: no close frame
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(3000);

    // The stock client answered every PING, so its socket survived the same window.
    await expect(live.trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    expect(hearth.server.websocket.connections.size).toBe(1);
  });
});
