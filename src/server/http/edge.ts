import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../ops/logger.ts';
import { requestId } from './request-log.ts';

/**
 * The edge of each request and each upgrade: whatever the code behind it
 * throws or rejects with is a fault of ours, logged in full under the request
 * id and answered with a 500 that carries only that id, while the server goes
 * on serving everyone else. Bad input never gets this far: it is answered 4xx
 * where it is read.
 */

/** What a client is told of a fault of ours: that it happened, and the id of the log lines that say what. */
export const faultMessage = (id: string) => `Internal server error (request ${id})`;

/**
 * Handlers are passed with their arguments rather than wrapped in a closure:
 * a closure made in the caller's scope would share its context with anything
 * else made there (the socket's error listener), and keep the whole upgrade
 * request alive for as long as the socket is open (~1.2 KB per connection).
 */
export function guardRequest(log: Logger, req: IncomingMessage, res: ServerResponse, serve: (req: IncomingMessage, res: ServerResponse) => unknown): void {
  let result: unknown;
  try {
    result = serve(req, res);
  } catch (err) {
    return requestFailed(log, req, res, err);
  }
  if (result instanceof Promise) result.catch((err: unknown) => requestFailed(log, req, res, err));
}

/** As guardRequest, for an upgrade: a 500 on the raw socket, or, once the handshake is out, a cut connection. */
export function guardUpgrade(
  log: Logger,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown,
): void {
  let result: unknown;
  try {
    result = upgrade(req, socket, head);
  } catch (err) {
    return upgradeFailed(log, req, socket, err);
  }
  if (result instanceof Promise) result.catch((err: unknown) => upgradeFailed(log, req, socket, err));
}

/** The socket's 'error' listener before the handshake: a module function, so it holds nothing of the request. */
export function destroyOnError(this: Duplex): void {
  this.destroy();
}

function requestFailed(log: Logger, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const reqId = requestId(req);
  log.error({ err, reqId, method: req.method }, 'request failed');
  if (res.writableEnded) return;
  if (res.headersSent) return void res.destroy(); // half an answer: only a cut connection says it failed
  for (const name of ['content-length', 'content-encoding', 'transfer-encoding', 'set-cookie']) res.removeHeader(name);
  res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(`${faultMessage(reqId)}\n`);
}

function upgradeFailed(log: Logger, req: IncomingMessage, socket: Duplex, err: unknown): void {
  const reqId = requestId(req);
  log.error({ err, reqId }, 'websocket upgrade failed');
  if (socket.destroyed || (socket as Socket).bytesWritten > 0) return void socket.destroy();
  rejectUpgrade(socket, 500, 'Internal Server Error', faultMessage(reqId));
}

/** An upgrade refused: an HTTP answer written on the raw socket, which then closes. */
export function rejectUpgrade(socket: Duplex, status: number, reason: string, detail = reason, headers: Record<string, string> = {}): void {
  const body = `${detail}\n`;
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}
