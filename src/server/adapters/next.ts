import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import next from 'next';

/**
 * What Hearth relies on in Next.js beyond its documented API (checked by
 * tests/canaries/next.test.ts against the installed version).
 *
 * On its first request Next attaches an 'upgrade' listener to the server given
 * as `httpServer`, or, without one, to the server the request came in on, and
 * would then answer Hearth's /api/trpc upgrades too. A stand-in emitter takes
 * that listener; the server forwards to Next only the upgrades that are its
 * own (dev-mode hot reload).
 */
export function createNextApp(options: { dev: boolean; dir: string }, standIn = new EventEmitter()) {
  return next({ dev: options.dev, dir: options.dir, httpServer: standIn as Server });
}
