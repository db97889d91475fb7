import type { WebSocket } from 'ws';
import { batchRefusal } from '../adapters/trpc.ts';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * A text frame's JSON, parsed once for the socket's message hook; undefined
 * when it is not a JSON object or array (tRPC's PONG, garbage), which only
 * tRPC's handler reads.
 */
export function jsonFrame(data: Buffer): unknown {
  let i = 0;
  while (i < data.length && WHITESPACE.has(data[i]!)) i += 1;
  if (data[i] !== OPEN_BRACE && data[i] !== OPEN_BRACKET) return undefined;
  try {
    return JSON.parse(data.toString()) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Caps the calls one WebSocket frame may carry at `max` (MAX_BATCH_CALLS, as
 * over HTTP). tRPC's ws adapter at 11.22.1, the version all tRPC packages are
 * pinned to (@trpc/tanstack-react-query has no later release), ignores its
 * `maxBatchSize` option; 11.25 honoured it. Each call of an oversized frame
 * gets the error 11.25's adapter gave, so clients see no difference.
 * `calls`: the frame's JSON (jsonFrame). Returns true when the frame was
 * refused (nothing of it may reach tRPC).
 */
export function refuseOversizedBatch(ws: WebSocket, calls: unknown, max: number): boolean {
  if (!Array.isArray(calls) || calls.length <= max) return false;
  let answered = false;
  for (const call of calls) {
    if (typeof call !== 'object' || call === null || call.method === 'subscription.stop') continue;
    if (typeof call.id !== 'number' && typeof call.id !== 'string') continue;
    ws.send(batchRefusal(call.id, call.jsonrpc === '2.0'));
    answered = true;
  }
  if (!answered) ws.send(batchRefusal(null, false));
  return true;
}
