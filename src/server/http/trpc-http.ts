import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { TRPC_PATH } from '../../trpc/protocol.ts';
import type { Context } from '../api/context.ts';
import { appRouter } from '../api/root.ts';
import { sessionForToken } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { clientAddress } from './client-ip.ts';
import { clearedSessionCookie, requestToken, sessionCookie } from './cookies.ts';
import { isCrossSite, isJsonBody } from './csrf.ts';
import { requestId } from './request-log.ts';

/** Serves `/api/trpc/*` over HTTP from the custom server (not a Next.js route handler). */
export function createTrpcHttpHandler(services: Services) {
  const { config, log } = services;

  async function createContext({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<Context> {
    const token = requestToken(req);
    const session = token ? await sessionForToken(services, { token }) : null;
    if (token && !session) services.metrics.authFailures.inc({ reason: 'token' });
    return {
      services,
      session,
      transport: 'http',
      crossSite: isCrossSite(req, config.ALLOWED_ORIGINS),
      clientIp: clientAddress(req, config.TRUST_PROXY),
      cookie: {
        set: (value, expiresAt) => res.appendHeader('Set-Cookie', sessionCookie(req, value, expiresAt)),
        clear: () => res.appendHeader('Set-Cookie', clearedSessionCookie(req)),
      },
    };
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
    return nodeHTTPRequestHandler({
      router: appRouter,
      req,
      res,
      path: pathname.slice(TRPC_PATH.length + 1),
      maxBodySize: config.MAX_PAYLOAD_BYTES,
      createContext,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path, reqId: requestId(req) }, 'procedure failed');
      },
    });
  };
}

/** An error in tRPC's own shape, so clients read it like any other. */
function refuse(res: ServerResponse, status: number, code: 'FORBIDDEN' | 'UNSUPPORTED_MEDIA_TYPE', message: string): void {
  const jsonRpcCode = code === 'FORBIDDEN' ? -32003 : -32015;
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { message, code: jsonRpcCode, data: { code, httpStatus: status } } }));
}
