import type { IncomingMessage } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { defaultTransformer, parseTRPCMessage, type TRPCClientOutgoingMessage } from '@trpc/server/unstable-core-do-not-import';
import type { WebSocket } from 'ws';

/**
 * Every place Hearth leans on how @trpc/server works inside rather than on
 * what it documents. tests/canaries/trpc.test.ts checks each against the
 * installed version, and tests/room-stream-differential.test.ts checks the
 * frames end to end: when either fails after an upgrade, this file is where
 * to look.
 */
export const TRPC_SERVER_VERSION = '11.22.1';

/** The paths of a router's procedures of one type (tRPC keeps them, flattened, on `_def.procedures`). */
export function procedurePaths(router: AnyRouter, type: 'query' | 'mutation' | 'subscription'): string[] {
  const procedures = router._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  return Object.entries(procedures)
    .filter(([, procedure]) => procedure._def.type === type)
    .map(([path]) => path);
}

/** Hands nodeHTTPRequestHandler a body already read: it uses `req.body` when set instead of reading the stream. */
export function presetBody(req: IncomingMessage, body: string): void {
  (req as IncomingMessage & { body?: string }).body = body;
}

/**
 * What the ws adapter needs of the upgrade request for the socket's life: it
 * reads `url` (for `?connectionParams=1`) and passes the object on to
 * createContext and onError, which read nothing else of it. No Host: the
 * adapter builds its URL from one and throws on one that is not a host name.
 */
export function standInRequest(pathAndQuery: string, method: string | undefined): IncomingMessage {
  return { url: pathAndQuery, headers: {}, method } as IncomingMessage;
}

export type MessageListener = (this: WebSocket, data: Buffer, isBinary: boolean) => void;

/**
 * Runs tRPC's connection handler on a socket and takes its 'message'
 * listener back off (the last one it adds; its keep-alive listener, added
 * first, stays): the caller decides which frames reach it.
 */
export function takeMessageListener(serve: (ws: WebSocket, req: IncomingMessage) => void, ws: WebSocket, req: IncomingMessage): MessageListener {
  const before = ws.listenerCount('message');
  serve(ws, req);
  const added = ws.listeners('message').slice(before);
  const listener = added.at(-1) as MessageListener | undefined;
  if (!listener) throw new Error(`@trpc/server ${TRPC_SERVER_VERSION} adapter changed: its connection handler added no 'message' listener`);
  ws.off('message', listener);
  return listener;
}

/** One request of a frame as tRPC reads it, or null where tRPC would refuse the whole frame (PARSE_ERROR). */
export function parsedRequest(raw: unknown): TRPCClientOutgoingMessage | null {
  try {
    // No transformer: Hearth's wire is plain JSON (api/trpc.ts).
    return parseTRPCMessage(raw, defaultTransformer);
  } catch {
    return null;
  }
}

/** The input tRPC's ws adapter hands a subscription: its `lastEventId` goes into the input. */
export function subscriptionInput(params: { input?: unknown; lastEventId?: string }): unknown {
  const { input, lastEventId } = params;
  if (lastEventId === undefined) return input;
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return { ...input, lastEventId };
  return input ?? { lastEventId };
}

/**
 * The head of every reply to one request, as the ws adapter writes it:
 * `{"id":…` plus `,"jsonrpc":"2.0"` when the request carried it.
 */
export const replyHead = (id: string | number, jsonrpc: '2.0' | undefined) => `{"id":${JSON.stringify(id)}${jsonrpc ? ',"jsonrpc":"2.0"' : ''}`;

export const startedFrame = (head: string) => `${head},"result":{"type":"started"}}`;
export const stoppedFrame = (head: string) => `${head},"result":{"type":"stopped"}}`;

/**
 * A yielded value. A `tracked(id, data)` envelope carries its id twice, the
 * outer one after the data (the adapter sets `result.id` last).
 */
export function dataFrame(head: string, json: string, trackedId: string | null): string {
  if (trackedId === null) return `${head},"result":{"type":"data","data":${json}}}`;
  const id = JSON.stringify(trackedId);
  return `${head},"result":{"type":"data","data":{"id":${id},"data":${json}},"id":${id}}}`;
}

/** The adapter's answer to a subscription whose id is in use on the socket, through Hearth's errorFormatter. */
export const duplicateIdFrame = (head: string, id: string | number, path: string) =>
  `${head},"error":${JSON.stringify({
    message: `Duplicate id ${id}`,
    code: -32600,
    data: { code: 'BAD_REQUEST', httpStatus: 400, path, zodError: null, issues: null },
  })}}`;

/**
 * What 11.25's ws adapter answered each call of a frame over its
 * `maxBatchSize` with; 11.22.1's ignores the option, so ws/batch-cap.ts
 * answers the same way itself.
 */
export function batchRefusal(id: string | number | null, jsonrpc: boolean): string {
  const error = { message: 'Batch call exceeds maximum size', code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400 } };
  return JSON.stringify(jsonrpc ? { id, jsonrpc: '2.0', error } : { id, error });
}
