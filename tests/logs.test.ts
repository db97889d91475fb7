import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rejection } from './helpers/errors.ts';
import { closed, opened, rawSocket, refusedStatus, until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/** A log destination in memory: one parsed JSON object per line. */
function capture() {
  const lines: string[] = [];
  return {
    lines,
    stream: { write: (line: string) => void lines.push(line) },
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('logs', () => {
  it('carry no token, password or cookie, whichever way they were sent, at the most verbose level', async () => {
    const log = capture();
    const hearth = await startServer({ env: { LOG_LEVEL: 'trace', WS_AUTH_TIMEOUT_MS: '200' }, logTo: log.stream });
    const password = `pw-${crypto.randomUUID()}`;
    const wrong = `wrong-${crypto.randomUUID()}`;
    const forged = crypto.randomBytes(32).toString('base64url');
    const { token, user } = await hearth.register('alice', password);
    const { token: second } = await hearth.client().trpc.auth.login.mutate({ username: 'alice', password });
    await rejection(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: wrong }));
    await rejection(hearth.client({ token: forged }).trpc.auth.me.query());
    // Cookie and bearer over HTTP, connectionParams and bearer over WebSocket, good and bad.
    await fetch(`${hearth.url}/api/trpc/auth.me`, { headers: { cookie: `hearth_session=${token}` } });
    await fetch(`${hearth.url}/api/trpc/auth.me`, { headers: { cookie: `hearth_session=${forged}` } });
    await hearth.client({ token: second, transport: 'ws' }).trpc.auth.me.query();
    const bad = rawSocket(hearth.url, { authorization: `Bearer ${forged}` });
    await opened(bad);
    await closed(bad);
    await closed(rawSocket(hearth.url)); // the authentication deadline
    expect(await refusedStatus(rawSocket(hearth.url, { origin: 'https://evil.example', cookie: `hearth_session=${token}` }))).toBe(403);
    const room = await hearth.client({ token }).trpc.rooms.create.mutate({ name: 'r', kind: 'closed' });
    await hearth
      .client({ token })
      .trpc.messages.send.mutate({ roomId: room.id, body: password, clientMessageId: 'c1' })
      .catch(() => {});
    // And objects the code might one day log, through the same logger.
    hearth.server.services.log.info(
      {
        req: { headers: { authorization: `Bearer ${token}`, cookie: `hearth_session=${token}` } },
        input: { password },
        connectionParams: { token },
        err: { data: { input: { password } } },
      },
      'what a careless log call might attach',
    );
    await hearth.close();

    const text = log.lines.join('');
    expect(log.lines.length).toBeGreaterThan(10);
    for (const secret of [password, wrong, token, second, forged]) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain(user.id); // ids are fine: they prove the lines are about this user
  });

  it("tie a request's lines to its X-Request-Id, and a socket's to its connection id", async () => {
    const log = capture();
    const hearth = await startServer({ env: { LOG_LEVEL: 'debug' }, logTo: log.stream });
    const response = await fetch(`${hearth.url}/healthz`);
    const reqId = response.headers.get('x-request-id');
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    const ws = rawSocket(hearth.url);
    await opened(ws);
    ws.close();
    await until(() => log.parsed().some((line) => line.msg === 'websocket closed'));
    const lines = log.parsed();
    expect(lines.find((line) => line.reqId === reqId)).toMatchObject({
      level: 20,
      msg: 'request',
      method: 'GET',
      path: '/healthz',
      status: 200,
      service: 'hearth',
    });
    const opened_ = lines.find((line) => line.msg === 'websocket opened')!;
    const closed_ = lines.find((line) => line.msg === 'websocket closed')!;
    expect(opened_.connId).toMatch(/^[0-9a-f-]{36}$/);
    expect(closed_.connId).toBe(opened_.connId);
    expect(closed_.code).toBe(1005);
  });

  it('honour LOG_LEVEL', async () => {
    const quiet = capture();
    const hearth = await startServer({ env: { LOG_LEVEL: 'warn' }, logTo: quiet.stream });
    await fetch(`${hearth.url}/healthz`);
    await opened(rawSocket(hearth.url));
    expect(await refusedStatus(rawSocket(hearth.url, { origin: 'https://evil.example' }))).toBe(403); // logged at warn
    await until(() => quiet.lines.length > 0);
    const levels = quiet.parsed().map((line) => line.level);
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.every((level) => typeof level === 'number' && level >= 40)).toBe(true);
    expect(hearth.server.services.log.level).toBe('warn');

    const silent = capture();
    const none = await startServer({ env: { LOG_LEVEL: 'silent' }, logTo: silent.stream });
    await refusedStatus(rawSocket(none.url, { origin: 'https://evil.example' }));
    await fetch(`${none.url}/healthz`);
    expect(silent.lines).toEqual([]);
  });
});
