import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { TRPC_PATH } from '../../shared/wire.ts';
import { ContextFailure, type Context } from '../api/context.ts';
import { appRouter } from '../api/root.ts';
import { presetBody, procedurePaths } from '../adapters/trpc.ts';
import { sessionForToken } from '../auth/sessions.ts';
import type { Services } from '../app/services.ts';
import { clientAddress } from './client-ip.ts';
import { clearedSessionCookie, requestToken, sessionCookie } from './cookies.ts';
import { isCrossSite, isJsonBody } from './csrf.ts';
import { header } from './headers.ts';
import { requestId } from './request-log.ts';

/**
 * Subscriptions live on the WebSocket, where connections are capped and each
 * socket's unsent output is bounded. tRPC would also serve them over HTTP as
 * server-sent events, with neither; we refuse that (405) before it starts.
 */
const subscriptionPaths = new Set(procedurePaths(appRouter, 'subscription'));

/** Serves `/api/trpc/*` over HTTP from the custom server (not a Next.js route handler). */
export function createTrpcHttpHandler(services: Services) {
  const { config, log } = services;

  async function createContext({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<Context> {
    const id = requestId(req);
    try {
      const token = requestToken(req);
      const session = token ? await sessionForToken(services, { token }) : null;
      if (token && !session) services.metrics.authFailures.inc({ reason: 'token' });
      return {
        services,
        session,
        transport: 'http',
        crossSite: isCrossSite(req, config.ALLOWED_ORIGINS),
        clientIp: clientAddress(req, config.TRUST_PROXY),
        userAgent: header(req.headers, 'user-agent'),
        cookie: new ResponseCookie(req, res),
        requestId: id,
        responseBudget: { left: config.MAX_RESPONSE_BYTES },
      };
    } catch (error) {
      throw ContextFailure.from(id, error);
    }
  }

  return (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    // POST carries mutations. Refused before tRPC reads the body: a cross-site
    // page (CSRF), or any body that is not JSON (what HTML forms can send).
    if (req.method === 'POST' && isCrossSite(req, config.ALLOWED_ORIGINS)) {
      return void refuse(res, 403, 'FORBIDDEN', 'Cross-site request refused');
    }
    if (req.method === 'POST' && !isJsonBody(req)) {
      return void refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON (Content-Type: application/json)');
    }
    const path = pathname.slice(TRPC_PATH.length + 1);
    if (path.split(',').some((p) => subscriptionPaths.has(p))) {
      return void refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'Subscriptions are served over WebSocket, on this same path');
    }
    const handle = () =>
      nodeHTTPRequestHandler({
        router: appRouter,
        req,
        res,
        path,
        maxBodySize: config.MAX_PAYLOAD_BYTES,
        maxBatchSize: config.MAX_BATCH_CALLS,
        createContext,
        onError({ error, path }) {
          if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path, reqId: requestId(req) }, 'procedure failed');
        },
      });
    if (req.method !== 'POST') return handle();
    // The body is read here, whole, and handed to tRPC as text: given the
    // stream, tRPC would read it through a web ReadableStream, which costs
    // more than the rest of a small mutation's parsing.
    return readBody(req, config.MAX_PAYLOAD_BYTES).then(
      (body) => {
        if (body === null) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is over ${config.MAX_PAYLOAD_BYTES} bytes`);
        presetBody(req, body);
        return handle();
      },
      () => void res.destroy(), // the client went away mid-body
    );
  };
}

/** The whole body as text; null (and the rest left unread) once it passes `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size).toString('utf8'));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** An error in tRPC's own shape, so clients read it like any other. */
const JSON_RPC_CODES = { FORBIDDEN: -32003, METHOD_NOT_SUPPORTED: -32005, PAYLOAD_TOO_LARGE: -32013, UNSUPPORTED_MEDIA_TYPE: -32015 } as const;

function refuse(res: ServerResponse, status: number, code: keyof typeof JSON_RPC_CODES, message: string): void {
  const jsonRpcCode = JSON_RPC_CODES[code];
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { message, code: jsonRpcCode, data: { code, httpStatus: status } } }));
}

/** The session cookie on one HTTP response (a class: one object per request, no closures). */
class ResponseCookie {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  set(value: string, expiresAt: Date): void {
    this.res.appendHeader('Set-Cookie', sessionCookie(this.req, value, expiresAt));
  }

  clear(): void {
    this.res.appendHeader('Set-Cookie', clearedSessionCookie(this.req));
  }
}
