import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import next from 'next';
import type { Logger } from '../log.ts';

export interface WebApp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** Builds the Next.js app when no production build exists (first `npm start`). */
function ensureBuilt(dir: string, log: Logger): void {
  if (fs.existsSync(path.join(dir, '.next', 'BUILD_ID'))) return;
  log.info('no production build found: running `next build` (once, about a minute)');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

/** The Next.js app as a request handler of our one server. */
export async function prepareWebApp(options: { dev: boolean; dir: string; log: Logger }): Promise<WebApp> {
  if (!options.dev) ensureBuilt(options.dir, options.log);
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
    handle: (req, res) => handle(req, res),
    upgrade: (req, socket, head) => upgrade(req, socket, head),
    close: () => app.close(),
  };
}
