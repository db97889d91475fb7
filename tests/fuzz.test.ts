import fc from 'fast-check';
import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { WireAnswer } from './helpers/errors.ts';
import { createRoom, healthyConversation, people, type Room } from './helpers/chat.ts';
import { closed, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/**
 * Property-based fuzzing of what clients can send: every malformed frame or
 * body gets an error answer, the server lives on, and a healthy client on the
 * same server keeps getting its messages. Sized for CI (FUZZ_RUNS to go longer).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);

// Procedures that need an input (random input never satisfies them), unknown ones, and odd strings.
const PATHS = [
  'messages.send',
  'messages.history',
  'messages.edit',
  'rooms.create',
  'rooms.join',
  'typing.set',
  'events.room',
  'admin.users.setRole',
  'auth.login',
  'auth.register',
];
const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.constantFrom('no.such.procedure', '', '__proto__', 'constructor', 'events', 'messages.'),
  fc.string({ maxLength: 40 }),
);
const hugeId = fc.oneof(
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53 + 1, 1e-300, -0),
  fc.integer().map((n) => `${n}`.repeat(50)),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.repeat(1000)),
);
const id = fc.oneof(fc.integer(), fc.string({ maxLength: 16 }), hugeId, fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const deep = fc
  .tuple(fc.integer({ min: 50, max: 4000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
// Inputs that are wrong for every procedure above (random objects lack the required keys).
const input = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(undefined, null, 0, 'x', []));
const lastEventId = fc.oneof(
  fc.string({ maxLength: 20 }).filter((s) => !/^\d{1,15}$/.test(s)),
  fc.integer(),
  fc.constant('9'.repeat(40)),
  fc.constant('-1'),
);

type Frame = { text: string; binary?: false } | { bytes: Uint8Array; binary: true };

function frames(room: Room): fc.Arbitrary<Frame> {
  const text = (value: unknown): Frame => ({ text: JSON.stringify(value) });
  return fc.oneof(
    // Random JSON, or not JSON at all. (Not `[]`: an empty batch holds no call
    // to answer, and tRPC answers nothing.)
    fc
      .json({ maxDepth: 4 })
      .filter((s) => s !== '[]')
      .map((s) => ({ text: s })),
    fc
      .string({ maxLength: 200 })
      .filter((s) => s !== 'PING' && s !== 'PONG')
      .map((s) => ({ text: s })),
    // The right envelope with wrong contents.
    fc.record({ id, method: fc.constantFrom('query', 'mutation', 'subscription'), params: fc.record({ path, input }) }).map(text),
    fc.record({ id, method: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null)), params: fc.jsonValue({ maxDepth: 2 }) }).map(text),
    fc.array(fc.record({ id, method: fc.constantFrom('query', 'mutation'), params: fc.record({ path, input }) }), { minLength: 1, maxLength: 5 }).map(text),
    // A real room, a resume point that is not one.
    fc
      .record({ id: fc.integer({ min: 1 }), lastEventId })
      .map(({ id, lastEventId }) => text({ id, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id, lastEventId } } })),
    fc
      .record({ id: fc.integer({ min: 1 }), lastEventId })
      .map(({ id, lastEventId }) => text({ id, method: 'subscription', params: { path: 'events.room', input: { roomId: room.id }, lastEventId } })),
    // Deep nesting, as the input or as the whole frame.
    fc.tuple(deep, fc.constantFrom(...PATHS)).map(([nested, p]) => ({ text: `{"id":7,"method":"query","params":{"path":"${p}","input":${nested}}}` })),
    deep.map((nested) => ({ text: nested })),
    // Binary frames: random bytes, or a valid-looking call sent as binary.
    fc.uint8Array({ maxLength: 300 }).map((bytes): Frame => ({ bytes, binary: true })),
    fc.constant<Frame>({ bytes: new TextEncoder().encode('{"id":1,"method":"query","params":{"path":"auth.me"}}'), binary: true }),
  );
}

async function setup() {
  const hearth = await startServer();
  const { alice, bob } = await people(hearth, 'alice', 'bob');
  const room = await createRoom({ by: alice, members: [bob] });
  return { hearth, alice, bob, room, healthy: await healthyConversation(hearth, alice, bob, room) };
}

describe('fuzzing', () => {
  it('answers every malformed WebSocket frame with an error and keeps the socket, the server and other clients working', { timeout: 120_000 }, async () => {
    const { hearth, alice, room, healthy } = await setup();
    const ws = rawSocket(hearth.url, { authorization: `Bearer ${alice.token}` });
    const inbox: Array<WireAnswer<{ username?: string }>> = [];
    ws.on('message', (data) => inbox.push(JSON.parse(data.toString()) as WireAnswer<{ username?: string }>));
    await opened(ws);
    let round = 0;

    await fc.assert(
      fc.asyncProperty(frames(room), async (frame) => {
        round += 1;
        if (round % 25 === 0) await healthy.say();
        inbox.length = 0;
        if (frame.binary) ws.send(frame.bytes, { binary: true });
        else ws.send(frame.text);
        // A call behind it on the same socket is answered as usual.
        const sentinel = `sentinel-${round}`;
        ws.send(JSON.stringify({ id: sentinel, method: 'query', params: { path: 'auth.me' } }));
        await until(() => inbox.some((m) => m.id === sentinel) && inbox.some((m) => m.id !== sentinel), 5000);
        expect(inbox.find((m) => m.id === sentinel)?.result?.data?.username).toBe('alice');
        const answers = inbox.filter((m) => m.id !== sentinel);
        expect(answers.length).toBeGreaterThan(0);
        for (const answer of answers) expect(answer.error?.data?.code, JSON.stringify(answer).slice(0, 300)).toMatch(/^[A-Z_]+$/);
        expect(ws.readyState).toBe(ws.OPEN);
      }),
      { numRuns: RUNS },
    );

    expect(hearth.server.services.metrics.subscriptions).toBe(1); // Bob's, nothing the fuzzing started
    expect(await hearth.server.services.store.prisma.message.count()).toBe(Math.floor(RUNS / 25));
    await healthy.check();
  });

  it('survives random first frames where the connection params belong: an error and a close, or a working socket', { timeout: 60_000 }, async () => {
    const { hearth, healthy } = await setup();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 100 }), deep).filter((s) => s !== 'PING' && s !== 'PONG'),
        async (first) => {
          const ws: WebSocket = rawSocket(hearth.url, {}, '?connectionParams=1');
          const inbox: WireAnswer[] = [];
          ws.on('message', (data) => inbox.push(JSON.parse(data.toString()) as WireAnswer));
          await opened(ws);
          const ended = closed(ws);
          ws.send(first);
          ws.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'rooms.list' } }));
          await until(() => ws.readyState === ws.CLOSED || inbox.some((m) => m.id === 1), 5000);
          if (inbox.find((m) => m.id === 1)?.error?.data?.code === 'UNAUTHORIZED') {
            // Params without a token: an anonymous socket, whose call is refused, typed.
            expect(ws.readyState).toBe(ws.OPEN);
            ws.close();
          } else {
            // Params it could not use: typed errors (PARSE_ERROR, or UNAUTHORIZED for a bad token), then the close.
            await ended;
            expect(inbox.length).toBeGreaterThan(0);
            for (const m of inbox) expect(m.error?.data?.code).toMatch(/^[A-Z_]+$/);
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 5) },
    );
    await healthy.say();
    await healthy.check();
  });

  it('answers every malformed HTTP call with an error status and a typed body, and writes nothing', { timeout: 120_000 }, async () => {
    const { hearth, alice, healthy } = await setup();
    const messagesBefore = await hearth.server.services.store.prisma.message.count();
    const contentType = fc.constantFrom(
      undefined,
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=zz',
      'application/octet-stream',
      'application/json; charset=latin1',
    );
    const body = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string({ maxLength: 300 }),
      deep,
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.record({ id: hugeId }).map((v) => JSON.stringify(v)),
    );
    const call = fc.record({
      method: fc.constantFrom('GET', 'POST'),
      path: path.filter((p) => p !== '.' && p !== '..'), // fetch would resolve them out of /api/trpc
      contentType,
      body,
      batch: fc.boolean(),
      origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
    });
    let round = 0;

    await fc.assert(
      fc.asyncProperty(call, async ({ method, path: procedure, contentType: type, body: payload, batch, origin }) => {
        round += 1;
        if (round % 25 === 0) await healthy.say();
        const headers: Record<string, string> = { authorization: `Bearer ${alice.token}` };
        if (type) headers['content-type'] = type;
        if (origin) headers.origin = origin;
        const query = method === 'GET' ? `?${batch ? 'batch=1&' : ''}input=${encodeURIComponent(payload)}` : batch ? '?batch=1' : '';
        const response = await fetch(`${hearth.url}/api/trpc/${encodeURIComponent(procedure)}${query}`, {
          method,
          headers,
          body: method === 'POST' ? payload : undefined,
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        // Node itself refuses a URL past its 16 KB header limit, before Hearth sees it.
        if (response.status === 431) {
          expect(method === 'GET' && query.length > 8000).toBe(true);
          return;
        }
        const answer = (await response.json()) as WireAnswer | WireAnswer[];
        const errors = Array.isArray(answer) ? answer.map((a) => a.error) : [answer.error];
        for (const error of errors) expect(error?.data?.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: RUNS },
    );

    expect(await hearth.server.services.store.prisma.message.count()).toBe(messagesBefore + Math.floor(RUNS / 25));
    await expect(alice.api.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    await healthy.check();
  });
});
