import v8 from 'node:v8';
import vm from 'node:vm';
import WebSocket from 'ws';
import type { HearthServer } from '../../src/server/http/server.ts';
import { until } from './raw-ws.ts';

/**
 * Connect, subscribe, disconnect, many times over, then check that the server
 * holds what it held before: heap (after a full GC), bus listeners, the room
 * hub, every connection registry, open handles. Used by tests/soak.test.ts
 * (CI-sized) and scripts/soak.ts (`npm run soak`, the long version). No
 * vitest import here, so the script can run it directly.
 */

export interface Snapshot {
  heapUsed: number;
  busListeners: number;
  hubSubscribers: number;
  subscriptions: number;
  connections: number;
  sockets: number;
  registered: number;
  admitted: number;
  authenticated: number;
  httpConnections: number;
  serverListeners: number;
  timers: number;
}

let gc: (() => void) | undefined;

/** A full garbage collection, with or without --expose-gc. */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = (globalThis as { gc?: () => void }).gc ?? (vm.runInNewContext('gc') as () => void);
  }
  for (let i = 0; i < 3; i++) gc();
}

export async function snapshot(server: HearthServer): Promise<Snapshot> {
  const { services, websocket, httpServer } = server;
  collectGarbage();
  const httpConnections = await new Promise<number>((resolve) => httpServer.getConnections((_err, n) => resolve(n)));
  const listeners = (emitter: NodeJS.EventEmitter) => emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0);
  return {
    heapUsed: process.memoryUsage().heapUsed,
    busListeners: services.bus.listenerCount(),
    hubSubscribers: services.hub.size,
    subscriptions: services.metrics.subscriptions,
    connections: services.metrics.connections,
    sockets: websocket.wss.clients.size,
    registered: websocket.connections.size,
    admitted: websocket.admission.counts.total,
    authenticated: websocket.admission.counts.authenticated,
    httpConnections,
    serverListeners: listeners(httpServer) + listeners(websocket.wss),
    timers: process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length,
  };
}

/** One cycle: open a socket with the token, subscribe to the room, see it start, close, see it closed. */
function cycle(url: string, token: string, roomId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/trpc`, { headers: { authorization: `Bearer ${token}` } });
    const timer = setTimeout(() => reject(new Error('a soak cycle took over 10 s')), 10_000);
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'events.room', input: { roomId } } })));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { id?: number; result?: { type?: string }; error?: unknown };
      if (frame.error) reject(new Error(`subscription refused: ${data.toString()}`));
      if (frame.result?.type === 'started') ws.close();
    });
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function runCycles(options: {
  url: string;
  token: string;
  roomId: string;
  cycles: number;
  concurrency: number;
  onProgress?: (done: number) => void;
}): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.cycles) {
      next += 1;
      await cycle(options.url, options.token, options.roomId);
      done += 1;
      if (done % 1000 === 0) options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

/** Waits until the server has let go of every soak socket (closes finish asynchronously). */
export async function settled(server: HearthServer, timeoutMs = 10_000): Promise<void> {
  const { websocket, services } = server;
  const idle = () => websocket.wss.clients.size === 0 && websocket.admission.counts.total === 0 && services.hub.size === 0 && websocket.connections.size === 0;
  await until(idle, timeoutMs).catch(() => {
    throw new Error('the server still holds soak sockets');
  });
}

/** What differs between two snapshots beyond the tolerance: empty means back to baseline. */
export function drift(before: Snapshot, after: Snapshot, heapTolerance = 0.05): string[] {
  const problems: string[] = [];
  if (after.heapUsed > before.heapUsed * (1 + heapTolerance)) {
    problems.push(`heap grew from ${mb(before.heapUsed)} to ${mb(after.heapUsed)} (over ${heapTolerance * 100}%)`);
  }
  for (const key of Object.keys(before) as Array<keyof Snapshot>) {
    if (key === 'heapUsed' || key === 'timers') continue;
    // An idle HTTP keep-alive connection may close in between: fewer is fine.
    if (key === 'httpConnections' ? after[key] > before[key] : after[key] !== before[key]) {
      problems.push(`${key}: ${before[key]} before, ${after[key]} after`);
    }
  }
  // Timers come and go with the test runner too; a leak would be one per cycle.
  if (after.timers > before.timers + 3) problems.push(`timers: ${before.timers} before, ${after.timers} after`);
  return problems;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
