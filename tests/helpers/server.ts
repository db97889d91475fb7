import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino, type DestinationStream } from 'pino';
import { afterAll, afterEach, expect } from 'vitest';
import type { Clock } from '../../src/server/lib/clock.ts';
import { configWith, type Config } from '../../src/server/app/config.ts';
import { createHearthServer, type HearthServer } from '../../src/server/http/server.ts';
import { createLogger } from '../../src/server/ops/logger.ts';
import { createServices } from '../../src/server/app/services.ts';
import type { HearthClientOptions } from '../../src/trpc/client.ts';
import { createNodeHearthClient } from '../../src/trpc/node.ts';
import { testDatabase } from './database.ts';
import { leaks, recordSecret, spawnedOutputs } from './log-secrets.ts';
import { TEST_ACCOUNTS, TEST_LIMITS, TEST_SETUP_TOKEN } from './process.ts';

type Overrides = Partial<Record<keyof Config, string>>;

/**
 * Servers here run with TEST_LIMITS (process.ts): tests open many sockets and
 * sign many people in from 127.0.0.1, and a TestClock never refills a bucket.
 * The tests of those limits pass `realLimits()`: the shipped defaults.
 */
export { TEST_ACCOUNTS, TEST_LIMITS, TEST_SETUP_TOKEN };

/** The shipped defaults of the limits TEST_LIMITS raises, to test them as an operator gets them. */
export function realLimits(): Overrides {
  const defaults = configWith();
  return Object.fromEntries(Object.keys(TEST_LIMITS).map((key) => [key, String(defaults[key as keyof Config])]));
}

/**
 * Every server a test file starts logs (at debug, or the LOG_LEVEL it asks
 * for) to one file, scanned after the file's tests: no line may carry a token
 * or password the tests used (see log-secrets.ts).
 */
const suiteLogFile = `${fsSync.mkdtempSync(path.join(os.tmpdir(), 'hearth-test-logs-'))}/server.log`;
const suiteLog = pino.destination({ dest: suiteLogFile, sync: true });

afterAll(() => {
  suiteLog.flushSync();
  const text = [fsSync.readFileSync(suiteLogFile, 'utf8'), ...spawnedOutputs()].join('\n');
  fsSync.rmSync(path.dirname(suiteLogFile), { recursive: true, force: true });
  expect(leaks(text), 'log lines giving away a token or password').toEqual([]);
});

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
  /** Registers a user over HTTP and returns its token and user (the first one claims the server with the setup token: the admin). */
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
export async function startServer(options: { env?: Overrides; clock?: Clock; logTo?: DestinationStream } = {}): Promise<TestServer> {
  const dir = await tempDir();
  const database = await testDatabase(dir);
  const config = configWith({
    PORT: '0',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'debug',
    // No default room unless a test asks, so rooms and members counted are the test's own.
    DEFAULT_ROOM: '',
    ...TEST_LIMITS,
    ...TEST_ACCOUNTS,
    ...options.env,
  });
  const log = createLogger(config, options.logTo ?? suiteLog);
  const services = await createServices(config, { clock: options.clock, log });
  const server = await createHearthServer({ config, services });
  const url = await server.listen();
  let closed = false;
  const testServer: TestServer = {
    url,
    server,
    dir,
    client(clientOptions = {}) {
      recordSecret(clientOptions.token);
      const client = createNodeHearthClient({ url, ...clientOptions });
      clients.push(client);
      return client;
    },
    async register(username, password = 'correct horse battery') {
      recordSecret(password);
      const { trpc } = testServer.client();
      const registered = await trpc.auth.register.mutate({ username, password, setupToken: TEST_SETUP_TOKEN });
      recordSecret(registered.token);
      return registered;
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
