import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import type { Logger } from '../ops/logger.ts';
import { ensureWebBuild } from './build.ts';
import { setPageHeaders, setSecurityHeaders } from './security-headers.ts';

export interface WebApp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** The Next.js app as a request handler of our one server. */
export async function prepareWebApp(options: { dev: boolean; dir: string; log: Logger }): Promise<WebApp> {
  if (!options.dev) ensureWebBuild(options.dir, (message) => options.log.info(message));
  const app = next({
    dev: options.dev,
    dir: options.dir,
    // Next attaches an 'upgrade' listener to the server it is given, and would
    // answer our /api/trpc upgrades too. We give it a stand-in and forward only
    // the upgrades that are its own (dev-mode hot reload).
    httpServer: new EventEmitter() as unknown as Server,
  });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  return {
    handle: (req, res) => {
      setSecurityHeaders(res);
      setPageHeaders(req, res, { dev: options.dev });
      return handle(req, res);
    },
    upgrade: (req, socket, head) => upgrade(req, socket, head),
    close: () => app.close(),
  };
}
