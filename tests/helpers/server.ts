import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Clock } from '../../src/server/clock.ts';
import { configWith, type Config } from '../../src/server/config.ts';
import { createHearthServer, type HearthServer } from '../../src/server/http/server.ts';
import { createServices } from '../../src/server/services.ts';
import type { HearthClientOptions } from '../../src/trpc/client.ts';
import { createNodeHearthClient } from '../../src/trpc/node.ts';
import { testDatabase } from './database.ts';

type Overrides = Partial<Record<keyof Config, string>>;

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private time = Date.parse('2026-11-22T12:00:00Z')) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'hearth-test-'));
}

export interface TestServer {
  url: string;
  server: HearthServer;
  dir: string;
  /** A typed client; closed automatically after the test. */
  client(options?: Omit<HearthClientOptions, 'url' | 'WebSocket'>): ReturnType<typeof createNodeHearthClient>;
  /** Registers a user over HTTP and returns its token and user. */
  register(username: string, password?: string): Promise<{ token: string; user: { id: string; role: string } }>;
  close(): Promise<void>;
}

const open: TestServer[] = [];
const clients: Array<{ close(): Promise<void> | void }> = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/**
 * The real server (tRPC over HTTP and WebSocket, no Next.js) on port 0 with a
 * fresh SQLite database in a temporary directory. Stopped after each test.
 */
export async function startServer(options: { env?: Overrides; clock?: Clock } = {}): Promise<TestServer> {
  const dir = await tempDir();
  const database = await testDatabase(dir);
  const config = configWith({
    PORT: '0',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const services = await createServices(config, { clock: options.clock });
  const server = await createHearthServer({ config, services });
  const url = await server.listen();
  let closed = false;
  const testServer: TestServer = {
    url,
    server,
    dir,
    client(clientOptions = {}) {
      const client = createNodeHearthClient({ url, ...clientOptions });
      clients.push(client);
      return client;
    },
    async register(username, password = 'correct horse battery') {
      const { trpc } = testServer.client();
      return trpc.auth.register.mutate({ username, password });
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
      await database.drop();
    },
  };
  open.push(testServer);
  return testServer;
}
