import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireAnswer } from './helpers/errors.ts';
import { createRoom, healthyConversation, people } from './helpers/chat.ts';
import {
  declaresMore,
  GET_TARGETS,
  headersFor,
  headerValues,
  HTTP_HEADERS,
  POST_TARGETS,
  target,
  UPGRADE_HEADERS,
  UPGRADE_TARGETS,
  type Fields,
} from './helpers/header-values.ts';
import { exchange, rawRequest } from './helpers/raw-http.ts';
import { messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/**
 * Property-based fuzzing of the headers Hearth reads, on both paths (HTTP
 * calls and WebSocket upgrades), over raw TCP so the bytes are exactly the
 * generated ones. Every answer is a well-formed HTTP response under 500 (or
 * an opened WebSocket), nothing is logged as a fault, and a chat on the same
 * server goes on. Smaller than fuzz.test.ts by default (FUZZ_RUNS to go longer).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

function capture() {
  const lines: string[] = [];
  return { stream: { write: (line: string) => void lines.push(line) }, faults: () => lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50) };
}

async function setup() {
  const log = capture();
  const hearth = await startServer({ env: { LOG_LEVEL: 'info' }, logTo: log.stream });
  const { alice, bob, mallory } = await people(hearth, 'alice', 'bob', 'mallory');
  const room = await createRoom({ by: alice, members: [bob] });
  const healthy = await healthyConversation(hearth, alice, bob, room);
  const { host } = new URL(hearth.url);
  const values = headerValues(mallory, hearth.url, host);
  const admission = () => hearth.server.websocket.admission.counts;
  const before = {
    admission: admission(),
    connections: hearth.server.services.metrics.connections,
    messages: await hearth.server.services.store.prisma.message.count(),
  };
  /** After the fuzzing: the places it took are given back, nothing else changed, nothing was a fault. */
  async function sane(said: number) {
    await until(() => hearth.server.services.metrics.connections === before.connections && admission().total === before.admission.total, 10_000);
    expect(admission()).toEqual(before.admission);
    expect(hearth.server.services.metrics.subscriptions).toBe(1); // Bob's
    expect(await hearth.server.services.store.prisma.message.count()).toBe(before.messages + said);
    expect(await hearth.server.services.store.prisma.room.count()).toBe(1);
    expect(log.faults()).toEqual([]);
    await healthy.check();
  }
  return { hearth, host, values, healthy, sane };
}

describe('fuzzing the headers', () => {
  it('answers every HTTP call, whatever its headers and request target, with a well-formed status under 500', { timeout: 60_000 }, async () => {
    const { hearth, host, values, healthy, sane } = await setup();
    const call = fc.record({
      method: fc.constantFrom('GET', 'POST'),
      getTarget: target(GET_TARGETS),
      postTarget: target(POST_TARGETS),
      headers: headersFor(HTTP_HEADERS, values),
      body: fc.oneof(fc.constantFrom('', '{}', '{"name":1}', '{"0":{}}', '['), fc.string({ maxLength: 100 })),
    });
    let round = 0;
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(call, async ({ method, getTarget, postTarget, headers, body }) => {
        round += 1;
        if (round % 25 === 0) await healthy.say();
        const bytes = Buffer.from(body);
        // A Host first unless the fuzz sends its own (none at all is a 400 from Node).
        const fields: Fields = [['Connection', 'close'], ...(headers.some(([n]) => n === 'host') ? [] : [['Host', host] as Fields[number]]), ...headers];
        const request = rawRequest(`${method} ${method === 'GET' ? getTarget : postTarget} HTTP/1.1`, fields, method === 'POST' ? bytes : undefined);
        const more = declaresMore(headers, method === 'POST' ? bytes.length : 0);
        const answer = await exchange(hearth.url, request, { end: more });
        if (answer === null && more) return;
        expect(answer, 'an answer').not.toBeNull();
        expect(answer!.status, answer!.head).toBeLessThan(500);
        expect(answer!.status).toBeGreaterThanOrEqual(200);
        statuses.add(answer!.status);
      }),
      { numRuns: RUNS },
    );
    // Some calls got all the way through: answered, refused for their token, for their site, for their body.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 401, 403, 415]));
    await sane(Math.floor(RUNS / 25));
  });

  it('answers every upgrade, whatever its headers, with a well-formed refusal under 500 or an open WebSocket', { timeout: 60_000 }, async () => {
    const { hearth, host, values, healthy, sane } = await setup();
    const upgrade = fc.record({ target: target(UPGRADE_TARGETS), headers: headersFor(UPGRADE_HEADERS, values), validKey: fc.boolean() });
    let round = 0;
    let opens = 0;
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(upgrade, async ({ target: path, headers, validKey }) => {
        round += 1;
        if (round % 25 === 0) await healthy.say();
        const has = (name: string) => headers.some(([n]) => n === name);
        const key = crypto.randomBytes(16).toString('base64');
        // The handshake's own fields, unless the fuzz sends its own, so that many upgrades get as far as Hearth's code.
        const fields: Fields = [
          ['Connection', 'Upgrade'],
          ['Upgrade', 'websocket'],
          ...(has('host') ? [] : [['Host', host] as Fields[number]]),
          ...(has('sec-websocket-key') || !validKey ? [] : [['Sec-WebSocket-Key', key] as Fields[number]]),
          ...(has('sec-websocket-version') ? [] : [['Sec-WebSocket-Version', '13'] as Fields[number]]),
          ...headers,
        ];
        const answer = await exchange(hearth.url, rawRequest(`GET ${path} HTTP/1.1`, fields));
        expect(answer, 'an answer').not.toBeNull();
        expect(answer!.status, answer!.head).toBeLessThan(500);
        statuses.add(answer!.status);
        if (answer!.status === 101) {
          opens += 1;
          expect(answer!.headers.upgrade?.toLowerCase()).toBe('websocket');
          expect(answer!.headers['sec-websocket-accept']).toMatch(/^[A-Za-z0-9+/]{27}=$/);
        } else {
          expect(answer!.status).toBeGreaterThanOrEqual(400);
        }
      }),
      { numRuns: RUNS },
    );
    expect(opens, 'upgrades that got through to a socket').toBeGreaterThan(0);
    expect([...statuses]).toEqual(expect.arrayContaining([400, 403, 404]));
    await sane(Math.floor(RUNS / 25));
  });

  it('takes `Cookie: hearth_session=%` as no token, on an upgrade and over HTTP', async () => {
    const { hearth, host, sane } = await setup();
    const me = await fetch(`${hearth.url}/api/trpc/auth.me`, { headers: { cookie: 'hearth_session=%' } });
    expect(me.status).toBe(401);
    expect(((await me.json()) as WireAnswer).error?.data.code).toBe('UNAUTHORIZED');
    const ws = rawSocket(hearth.url, { cookie: 'hearth_session=%' });
    await opened(ws); // an anonymous socket, as with no cookie at all
    ws.close();
    // And byte for byte, as the attack sent it.
    const upgrade = rawRequest('GET /api/trpc HTTP/1.1', [
      ['Host', host],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', crypto.randomBytes(16).toString('base64')],
      ['Cookie', 'hearth_session=%'],
    ]);
    expect((await exchange(hearth.url, upgrade))?.status).toBe(101);
    const call = rawRequest('GET /api/trpc/auth.me HTTP/1.1', [
      ['Host', host],
      ['Connection', 'close'],
      ['Cookie', 'hearth_session=%'],
    ]);
    expect((await exchange(hearth.url, call))?.status).toBe(401);
    await sane(0);
  });

  it('keeps the WebSocket endpoint whole under a Host that is no host name, even with no Host check in front of it', async () => {
    const { hearth, sane } = await setup();
    // A server bound beyond loopback without PUBLIC_URL takes any Host (origin.ts): the endpoint alone must cope.
    const { httpServer, websocket } = hearth.server;
    const [front] = httpServer.listeners('upgrade') as Array<(...args: unknown[]) => void>;
    httpServer.off('upgrade', front!).on('upgrade', (req, socket, head) => websocket.handleUpgrade(req, socket, head));
    for (const host of ['a b', '[', 'http://[', '\u00e9:1']) {
      const ws = rawSocket(hearth.url, { host });
      const inbox = messages(ws);
      await opened(ws);
      ws.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me' } }));
      await until(() => inbox.length > 0);
      expect(inbox[0]).toMatchObject({ id: 1, error: { data: { code: 'UNAUTHORIZED' } } });
      ws.close();
    }
    httpServer.removeAllListeners('upgrade').on('upgrade', front!);
    await sane(0);
  });

  it('answers a request target that is not a URL with 400, over HTTP and on an upgrade', async () => {
    const { hearth, host, sane } = await setup();
    for (const path of ['http://[', 'http://[/api/trpc']) {
      const call = await exchange(
        hearth.url,
        rawRequest(`GET ${path} HTTP/1.1`, [
          ['Host', host],
          ['Connection', 'close'],
        ]),
      );
      expect(call).toMatchObject({ status: 400, body: 'The request target is not a URL\n' });
      const upgrade = rawRequest(`GET ${path} HTTP/1.1`, [
        ['Host', host],
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Key', crypto.randomBytes(16).toString('base64')],
      ]);
      expect(await exchange(hearth.url, upgrade)).toMatchObject({ status: 400, body: 'The request target is not a URL\n' });
    }
    await sane(0);
  });
});
