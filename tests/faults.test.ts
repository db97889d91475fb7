import crypto from 'node:crypto';
import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createRoom, people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { exchange, rawRequest } from './helpers/raw-http.ts';
import { closed, messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/**
 * Real faults under a running server (a table renamed away in its database, a
 * metrics collector that throws): each is answered 500 with a generic message
 * and the request id, never the fault's own text, and logged in full under
 * that id; the server goes on serving.
 */
const LEAKS = ['prisma', 'invocation', 'select', '/work', 'at ', '.ts:', 'no such table', 'does not exist'];

function expectNothingLeaked(text: string) {
  for (const leak of LEAKS) expect(text.toLowerCase(), `the answer gives away "${leak}"`).not.toContain(leak);
}

function capture() {
  const lines: string[] = [];
  return {
    stream: { write: (line: string) => void lines.push(line) },
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

async function setup() {
  const log = capture();
  const hearth = await startServer({ env: { LOG_LEVEL: 'debug' }, logTo: log.stream });
  const { alice } = await people(hearth, 'alice');
  const room = await createRoom({ by: alice });
  const db = hearth.server.services.store.prisma;
  const rename = (from: string, to: string) => db.$executeRawUnsafe(`ALTER TABLE "${from}" RENAME TO "${to}"`);
  /** The fault as the log has it: an error line under the id the client was given, with the database's own words. */
  const logged = (key: 'reqId' | 'connId', id: string) => {
    const line = log.parsed().find((l) => l.level === 50 && l[key] === id);
    expect(line, `an error logged under ${key} ${id}`).toBeDefined();
    expect(JSON.stringify(line!.err)).toMatch(/no such table|does not exist/i);
  };
  return { hearth, alice, room, rename, log, logged };
}

describe('a fault of ours', () => {
  it('in a procedure answers 500 with a generic message and the request id, over HTTP and WebSocket; the log says the rest', async () => {
    const { hearth, alice, room, rename, log, logged } = await setup();
    await rename('Message', 'MessageGone');

    const response = await fetch(`${hearth.url}/api/trpc/messages.history?input=${encodeURIComponent(JSON.stringify({ roomId: room.id }))}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const text = await response.text();
    expect(response.status).toBe(500);
    expectNothingLeaked(text);
    const reqId = response.headers.get('x-request-id')!;
    expect(JSON.parse(text).error).toMatchObject({ message: 'Internal server error', data: { code: 'INTERNAL_SERVER_ERROR', requestId: reqId } });
    logged('reqId', reqId);

    // Over WebSocket the id is the connection's: the one its own log lines carry.
    const ws = rawSocket(hearth.url, { authorization: `Bearer ${alice.token}` });
    const inbox = messages(ws);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    await opened(ws);
    ws.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'messages.history', input: { roomId: room.id } } }));
    await until(() => inbox.length > 0);
    expectNothingLeaked(frames.join('\n'));
    const answer = inbox[0] as { error: { message: string; data: { requestId: string } } };
    expect(answer.error).toMatchObject({ message: 'Internal server error', data: { code: 'INTERNAL_SERVER_ERROR' } });
    const connId = answer.error.data.requestId;
    expect(log.parsed().find((l) => l.msg === 'websocket opened' && l.connId === connId)).toBeDefined();
    logged('connId', connId);
    ws.close();

    // The server goes on: with the table back, the same calls work.
    await rename('MessageGone', 'Message');
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'back', clientMessageId: 'c1' });
    expect((await alice.api.messages.history.query({ roomId: room.id })).messages.map((m) => m.body)).toEqual(['back']);
    expect((await fetch(`${hearth.url}/healthz`)).status).toBe(200);
  });

  it('while making the context answers 500 with the request id over HTTP, over WebSocket, and on an upgrade with a token', async () => {
    const { hearth, alice, rename, logged } = await setup();
    await rename('Session', 'SessionGone');

    const response = await fetch(`${hearth.url}/api/trpc/auth.me`, { headers: { authorization: `Bearer ${alice.token}` } });
    const text = await response.text();
    expect(response.status).toBe(500);
    expectNothingLeaked(text);
    const reqId = response.headers.get('x-request-id')!;
    expect(JSON.parse(text).error).toMatchObject({ message: 'Internal server error', data: { code: 'INTERNAL_SERVER_ERROR', requestId: reqId } });
    logged('reqId', reqId);

    // A token sent after the handshake: the typed error, with the connection's id, then the close.
    const ws = rawSocket(hearth.url, {}, '?connectionParams=1');
    const inbox = messages(ws);
    await opened(ws);
    const ended = closed(ws);
    ws.send(JSON.stringify({ method: 'connectionParams', data: { token: alice.token } }));
    await ended;
    const answer = inbox.find((m): m is { error: { message: string; data: { requestId: string } } } => typeof m === 'object' && m !== null && 'error' in m);
    expect(answer?.error).toMatchObject({ message: 'Internal server error', data: { code: 'INTERNAL_SERVER_ERROR' } });
    expectNothingLeaked(JSON.stringify(inbox));
    logged('connId', answer!.error.data.requestId);

    // A token in the upgrade itself is looked up before the handshake: the refusal is the 500.
    const { host } = new URL(hearth.url);
    const upgrade = rawRequest('GET /api/trpc HTTP/1.1', [
      ['Host', host],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', crypto.randomBytes(16).toString('base64')],
      ['Authorization', `Bearer ${alice.token}`],
    ]);
    const refused = await exchange(hearth.url, upgrade);
    expect(refused?.status).toBe(500);
    expectNothingLeaked(refused!.body);
    const [, upgradeId] = /^Internal server error \(request ([0-9a-f-]{36})\)$/.exec(refused!.body.trim()) ?? [];
    expect(upgradeId).toBeDefined();
    logged('reqId', upgradeId!);

    await rename('SessionGone', 'Session');
    await expect(alice.api.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
  });

  it('outside tRPC (a metrics collector that throws) answers a generic text with the request id', async () => {
    const { hearth, log } = await setup();
    new Gauge({
      name: 'test_broken',
      help: 'A collector that fails the way a database probe might',
      registers: [hearth.server.services.metrics.registry],
      collect() {
        throw new Error('SELECT secret FROM "Session" failed at /work/main/src/server/metrics.ts:1');
      },
    });
    const response = await fetch(`${hearth.url}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expectNothingLeaked(text);
    const reqId = response.headers.get('x-request-id')!;
    expect(text).toBe(`Internal server error (request ${reqId})\n`);
    const line = log.parsed().find((l) => l.level === 50 && l.reqId === reqId);
    expect((line?.err as { message?: string } | undefined)?.message).toContain('SELECT secret');
    expect((await fetch(`${hearth.url}/healthz`)).status).toBe(200);
  });

  it('is no excuse to keep a typed refusal from its caller: bad input is still a 400 that says what is wrong', async () => {
    const { hearth, alice } = await setup();
    const error = await rejection(alice.api.messages.history.query({ roomId: 'not-an-id' }));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    expect(error.data?.issues?.length).toBeGreaterThan(0);
    expect(error.message).not.toBe('Internal server error');
    expect((error.data as { requestId?: string }).requestId).toBeUndefined();
    expect((await fetch(`${hearth.url}/healthz`)).status).toBe(200);
  });
});
