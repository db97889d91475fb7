import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { postMessage } from '../src/server/chat/messages.ts';
import { createRoom } from '../src/server/chat/rooms.ts';
import { roomEvents } from '../src/server/realtime/room-stream-iterator.ts';
import type { Services } from '../src/server/app/services.ts';
import { range } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

type Point = 'beforeStart' | 'beforeLastSeq' | 'afterLastSeq' | 'beforeLog' | 'afterLog';
const POINTS: Point[] = ['beforeStart', 'beforeLastSeq', 'afterLastSeq', 'beforeLog', 'afterLog'];

/**
 * The database as the stream sees it, with a commit (message sent and
 * published) slipped in right before or after each query the stream makes
 * while starting. `started` resolves once the start-up queries are done.
 */
function interleaved(services: Services, commitAt: Set<Point>, commit: () => Promise<unknown>, lastQuery: Point) {
  const seen: { lastSeq?: number } = {};
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const hook = async (point: Point) => {
    if (commitAt.delete(point)) await commit();
    if (point === lastQuery) markStarted();
  };
  const wrap = <T extends object>(target: T, method: string, before: Point, after: Point, onResult?: (r: unknown) => void) =>
    new Proxy(target, {
      get: (t, key) =>
        key === method
          ? async (...args: unknown[]) => {
              await hook(before);
              const result: unknown = await (t as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
              onResult?.(result);
              await hook(after);
              return result;
            }
          : Reflect.get(t, key),
    });
  // Both stores serve the stream's start-up reads through store.log.
  const lastSeq = wrap(services.store.log, 'lastSeq', 'beforeLastSeq', 'afterLastSeq', (r) => (seen.lastSeq ??= r as number));
  const log = wrap(lastSeq, 'entriesAfter', 'beforeLog', 'afterLog');
  const store = { ...services.store, log };
  return { deps: { ...services, store }, seen, started };
}

/** tracked(id, data) is an [id, data, marker] envelope; ephemeral events are plain objects. The opening presence is tracked at the cursor: not a durable event. */
const trackedId = (value: unknown) => (Array.isArray(value) && (value[1] as RoomStreamEvent).type !== 'presence' ? Number(value[0]) : undefined);

/** Pulls the stream in the background, as tRPC's adapter does, recording tracked seqs. */
function pump(stream: AsyncIterable<unknown>) {
  const seqs: number[] = [];
  const done = (async () => {
    for await (const value of stream) {
      const seq = trackedId(value);
      if (seq !== undefined) seqs.push(seq);
    }
  })();
  return { seqs, done };
}

const subsets = (points: Point[]): Set<Point>[] => range(0, 2 ** points.length - 1).map((mask) => new Set(points.filter((_, i) => mask & (1 << i))));

describe('a commit racing the start of a room stream', () => {
  for (const mode of ['fresh', 'resumed'] as const) {
    it(`is delivered exactly once, never lost (${mode} subscription, every interleaving)`, async () => {
      const hearth = await startServer();
      const services = hearth.server.services;
      const userId = (await hearth.register('alice')).user.id;
      for (const commitAt of subsets(POINTS)) {
        const label = [...commitAt].join('+') || 'none';
        const room = await createRoom(services, { creatorId: userId, name: `race ${label}`, kind: 'closed' }); // seq 1
        const author = { role: 'admin', roomRole: 'admin' };
        const send = () =>
          postMessage(services, { roomId: room.id, roomKind: 'closed', authorId: userId, author, body: 'x', clientMessageId: crypto.randomUUID() });
        await send(); // seq 2, committed before anything: the resumed stream (cursor 1) must replay it
        const lastQuery = 'afterLog'; // both modes read the log last while starting
        const { deps, seen, started } = interleaved(services, new Set(commitAt), send, lastQuery);
        if (commitAt.has('beforeStart')) await send();
        const abort = new AbortController();
        const lastEventId = mode === 'resumed' ? '1' : undefined;
        const stream = await roomEvents(deps, { userId, input: { roomId: room.id, lastEventId }, signal: abort.signal });
        const pulled = pump(stream);
        await started;
        await send(); // after start-up: the stream must see it live
        // A sentinel behind it: a late duplicate of anything before would come before it.
        const sentinel = await send();
        await until(() => pulled.seqs.includes(sentinel.seq), 2000).catch(() => {});
        abort.abort(); // as tRPC does on unsubscribe
        await pulled.done;
        const seqs = pulled.seqs;
        const from = mode === 'resumed' ? 2 : seen.lastSeq! + 1;
        expect({ label, seqs }).toEqual({ label, seqs: range(from, sentinel.seq) });
      }
      expect(services.bus.listenerCount()).toBe(1); // the connection registry's own listener
    });
  }
});
