import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { TRPC_PATH } from '../../trpc/protocol.ts';
import type { Context } from '../api/context.ts';
import { appRouter } from '../api/root.ts';
import { sessionForToken } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { clearedSessionCookie, requestToken, sessionCookie } from './cookies.ts';
import { isOriginAllowed } from './origin.ts';

/** Serves `/api/trpc/*` over HTTP from the custom server (not a Next.js route handler). */
export function createTrpcHttpHandler(services: Services) {
  const { config, log } = services;

  async function createContext({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<Context> {
    const token = requestToken(req);
    const session = token ? await sessionForToken(services, { token }) : null;
    return {
      services,
      session,
      transport: 'http',
      crossSite: !isOriginAllowed(req, config.ALLOWED_ORIGINS),
      cookie: {
        set: (value, expiresAt) => res.appendHeader('Set-Cookie', sessionCookie(req, value, expiresAt)),
        clear: () => res.appendHeader('Set-Cookie', clearedSessionCookie(req)),
      },
    };
  }

  return (req: IncomingMessage, res: ServerResponse, pathname: string) =>
    nodeHTTPRequestHandler({
      router: appRouter,
      req,
      res,
      path: pathname.slice(TRPC_PATH.length + 1),
      maxBodySize: config.MAX_PAYLOAD_BYTES,
      createContext,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path }, 'procedure failed');
      },
    });
}
