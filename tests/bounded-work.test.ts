import { describe, expect, it } from 'vitest';
import { createRoom, people, range, type Person, type Room } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

/** One GET carrying `calls` messages.history calls, as tRPC's batch link writes it. */
function historyBatch(hearth: TestServer, person: Person, room: Room, calls: number) {
  const paths = Array.from({ length: calls }, () => 'messages.history').join(',');
  const input = Object.fromEntries(range(0, calls - 1).map((i) => [i, { roomId: room.id, limit: 200 }]));
  return fetch(`${hearth.url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { authorization: `Bearer ${person.token}` },
  });
}

async function roomWithLongMessages(hearth: TestServer, count: number, length = 10_000) {
  const { alice } = await people(hearth, 'alice');
  const room = await createRoom({ by: alice });
  for (const i of range(1, count)) {
    await alice.api.messages.send.mutate({ roomId: room.id, body: `${i}`.padEnd(length, 'x'), clientMessageId: `long${i}` });
  }
  return { alice, room };
}

describe('every request does bounded work', () => {
  it('caps the calls of one HTTP batch at MAX_BATCH_CALLS', async () => {
    const hearth = await startServer({ env: { MAX_BATCH_CALLS: '4' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const fits = await historyBatch(hearth, alice, room, 4);
    expect(fits.status).toBe(200);
    expect(await fits.json()).toHaveLength(4);
    const over = await historyBatch(hearth, alice, room, 5);
    expect(over.status).toBe(400);
    expect(JSON.stringify(await over.json())).toContain('Batch call exceeds maximum size');
  });

  it('caps the calls of one WebSocket frame, and answers each of them with the error', async () => {
    const hearth = await startServer({ env: { MAX_BATCH_CALLS: '3' } });
    const { alice } = await people(hearth, 'alice');
    const ws = rawSocket(hearth.url, { authorization: `Bearer ${alice.token}` });
    const seen = messages(ws);
    await opened(ws);
    const call = (id: number) => ({ id, method: 'query', params: { path: 'auth.me' } });
    ws.send(JSON.stringify([call(1), call(2), call(3)]));
    await until(() => seen.length === 3);
    expect(seen.every((m) => (m as { result?: unknown }).result)).toBe(true);
    ws.send(JSON.stringify([call(4), call(5), call(6), call(7)]));
    await until(() => seen.length === 7);
    const refused = seen.slice(3) as Array<{ id: number; error?: { data?: { code?: string } } }>;
    expect(refused.map((m) => [m.id, m.error?.data?.code])).toEqual([4, 5, 6, 7].map((id) => [id, 'BAD_REQUEST']));

    // Room subscriptions do not count (a reconnecting client resubscribes all of
    // them in one frame); the other calls beside them do.
    const frames = seen as Array<{ id?: number; result?: { type?: string }; error?: { data?: { code?: string } } }>;
    const answers = (ids: number[]) => frames.filter((m) => ids.includes(m.id ?? 0));
    const started = (id: number) => frames.some((m) => m.id === id && m.result?.type === 'started');
    const rooms: Room[] = [];
    for (const _ of range(1, 5)) rooms.push(await createRoom({ by: alice })); // one by one: the HTTP batch is capped too
    const subscribe = (id: number, roomId: string) => ({ id, method: 'subscription', params: { path: 'events.room', input: { roomId } } });
    ws.send(JSON.stringify([...rooms.map((r, i) => subscribe(10 + i, r.id)), call(20), call(21)]));
    await until(() => range(10, 14).every(started) && answers([20, 21]).length === 2);
    expect(answers([20, 21]).every((m) => m.result)).toBe(true);
    ws.send(JSON.stringify([subscribe(30, rooms[0]!.id), call(31), call(32), call(33), call(34)]));
    await until(() => started(30) && answers([31, 32, 33, 34]).length === 4);
    expect(answers([31, 32, 33, 34]).map((m) => m.error?.data?.code)).toEqual(Array(4).fill('BAD_REQUEST'));
    ws.close();
  });

  it('bounds the bytes one HTTP request makes the server produce: past MAX_RESPONSE_BYTES a call gets PAYLOAD_TOO_LARGE', async () => {
    const hearth = await startServer({ env: { MAX_RESPONSE_BYTES: '200000', MAX_BATCH_CALLS: '10' } });
    const { alice, room } = await roomWithLongMessages(hearth, 8); // ~80 KB of text
    const response = await historyBatch(hearth, alice, room, 10);
    const text = await response.text();
    expect(text.length).toBeLessThan(200_000 + 10_000);
    const results = JSON.parse(text) as Array<{ result?: { data: { messages: unknown[] } }; error?: { data: { code: string } } }>;
    expect(results.filter((r) => r.result).map((r) => r.result!.data.messages.length)).toEqual([8, 8]);
    expect(results.filter((r) => r.error).map((r) => r.error!.data.code)).toEqual(Array(8).fill('PAYLOAD_TOO_LARGE'));
    // One call alone is still answered, and over WebSocket each call has the budget to itself.
    expect((await alice.api.messages.history.query({ roomId: room.id })).messages).toHaveLength(8);
    const socket = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    const pages = await Promise.all(range(1, 5).map(() => socket.messages.history.query({ roomId: room.id })));
    expect(pages.map((p) => p.messages.length)).toEqual([8, 8, 8, 8, 8]);
  });

  it('a single answer over the budget is refused over WebSocket too', async () => {
    const hearth = await startServer({ env: { MAX_RESPONSE_BYTES: '65536' } });
    const { alice, room } = await roomWithLongMessages(hearth, 8);
    const socket = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    expect((await rejection(socket.messages.history.query({ roomId: room.id }))).data?.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await socket.messages.history.query({ roomId: room.id, limit: 5 })).messages).toHaveLength(5);
  });

  it('a history page of huge messages ends early at its text budget; paging on loses nothing', async () => {
    const hearth = await startServer();
    const { alice, room } = await roomWithLongMessages(hearth, 30); // 300,000 characters
    const first = await alice.api.messages.history.query({ roomId: room.id, limit: 200 });
    expect(first.messages.length).toBeLessThan(30);
    expect(first.messages.length).toBeGreaterThan(0);
    expect(first.nextBeforeSeq).toBe(first.messages[0]!.seq);
    const second = await alice.api.messages.history.query({ roomId: room.id, limit: 200, beforeSeq: first.nextBeforeSeq! });
    const bodies = [...second.messages, ...first.messages].map((m) => Number.parseInt(m.body, 10));
    expect(bodies).toEqual(range(1, 30));
    expect(second.nextBeforeSeq).toBeNull();
  });
});
