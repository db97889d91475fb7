import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createNextApp } from '../../src/server/adapters/next.ts';

const version = (createRequire(import.meta.url)('next/package.json') as { version: string }).version;

/**
 * src/server/adapters/next.ts relies on how Next attaches its upgrade listener.
 * If this fails after a Next.js upgrade, re-read `setupWebSocketHandler` in
 * next/dist/server/next.js and fix the adapter before anything else.
 */
describe(`Next.js ${version} internals Hearth relies on`, () => {
  it('puts its upgrade listener on the stand-in server, never on the server a request came in on', async () => {
    const stand = new EventEmitter();
    const app = createNextApp({ dev: false, dir: process.cwd() }, stand);
    const real = new EventEmitter();
    const req = { socket: { server: real }, headers: {}, url: '/' } as unknown as IncomingMessage;
    // Unprepared, the handler throws once it needs the app, after wiring the upgrade listener.
    await expect(app.getRequestHandler()(req, {} as ServerResponse)).rejects.toThrow(/prepare\(\)/);
    expect(stand.listenerCount('upgrade'), `next ${version}: the upgrade listener moved`).toBe(1);
    expect(real.listenerCount('upgrade'), `next ${version}: Next listens on the real server`).toBe(0);
  });
});
