import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../ops/logger.ts';

const ids = new WeakMap<IncomingMessage, string>();

/**
 * The id that ties a request's log lines together (and is sent back as
 * X-Request-Id, so a user's report can be matched to them). Made on first use,
 * kept with the request object and gone with it.
 */
export function requestId(req: IncomingMessage): string {
  let id = ids.get(req);
  if (!id) ids.set(req, (id = newId()));
  return id;
}

/**
 * One debug line per finished request. The path only: query strings carry
 * tRPC inputs, which are the caller's business, not the log's.
 */
export function logRequest(log: Logger, req: IncomingMessage, res: ServerResponse, path: string): void {
  if (!log.isLevelEnabled('debug')) return;
  const start = performance.now();
  res.once('finish', () => {
    const ms = Math.round((performance.now() - start) * 10) / 10;
    log.debug({ reqId: requestId(req), method: req.method, path, status: res.statusCode, ms }, 'request');
  });
}
