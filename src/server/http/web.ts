import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createNextApp } from '../adapters/next.ts';
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
  // Next's own upgrade listener goes on a stand-in, not our server (adapters/next.ts).
  const app = createNextApp({ dev: options.dev, dir: options.dir });
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
