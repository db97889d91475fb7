import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHearthClient } from '../src/trpc/node.ts';
import { CloseCode } from '../src/shared/wire.ts';
import { closed, messages, opened, rawSocket, until } from './helpers/raw-ws.ts';
import { spawnHearth, TEST_SETUP_TOKEN, type HearthProcess } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';
import type { WireAnswer } from './helpers/errors.ts';

const PASSWORD = 'correct horse battery';

/** Plain JSON over HTTP, as any non-TypeScript client would call the API. */
async function call(url: string, procedure: string, input: unknown, token?: string) {
  const response = await fetch(`${url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as WireAnswer<{ token: string; user: { id: string; username: string; role: string } }> };
}

describe('the whole app, booted the way `npm start` does', () => {
  let dir: string;
  let hearth: HearthProcess;
  let dbFile: string;

  beforeAll(async () => {
    dir = await tempDir();
    dbFile = path.join(dir, 'data', 'hearth.db');
    // Builds the Next.js app first if this checkout has no build yet.
    hearth = await spawnHearth({ DATABASE_URL: `file:${dbFile}` });
  });

  afterAll(async () => {
    if (hearth.child.exitCode === null) {
      hearth.child.kill('SIGKILL');
      await hearth.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates and migrates the SQLite database in WAL mode', () => {
    expect(fs.existsSync(dbFile)).toBe(true);
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const migrations = db.prepare('SELECT name FROM _hearth_migrations').all();
      expect(migrations.length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('serves the web page and /healthz', async () => {
    const page = await fetch(hearth.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Hearth</title>');
    expect(html).toContain('/_next/static/');
    const health = await fetch(`${hearth.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok', bus: 'ok' });
  });

  it('registers over plain-JSON HTTP with a token that authenticates a WebSocket client; logout over HTTP closes that socket', async () => {
    const registered = await call(hearth.url, 'auth.register', { username: 'alice', password: PASSWORD, setupToken: TEST_SETUP_TOKEN });
    expect(registered.status).toBe(200);
    const { token, user } = registered.body.result!.data!;
    expect(user.role).toBe('admin');

    let refused = 0;
    const client = createNodeHearthClient({ url: hearth.url, token, transport: 'ws', onAuthFailure: () => refused++ });
    try {
      await expect(client.trpc.auth.me.query()).resolves.toMatchObject({ id: user.id, username: 'alice' });
      // The HTTP handler and the WebSocket handler live in one process and share
      // one event bus: the revocation published by HTTP closes the socket.
      expect((await call(hearth.url, 'auth.logout', {}, token)).status).toBe(200);
      await until(() => refused === 1);
    } finally {
      await client.close();
    }
  });

  it('shuts down gracefully on SIGTERM: in-flight writes finish, sockets are told to reconnect, exit 0', async () => {
    const ws = rawSocket(hearth.url);
    const seen = messages(ws);
    await opened(ws);
    const closing = closed(ws);

    const names = Array.from({ length: 8 }, (_, i) => `user${i}`);
    const attempts = names.map((username) =>
      call(hearth.url, 'auth.register', { username, password: PASSWORD, setupToken: TEST_SETUP_TOKEN }).then(
        (result) => ({ username, status: result.status }),
        () => ({ username, status: 0 }),
      ),
    );
    // Stop once the first write is acknowledged: the others are still in flight or yet to arrive.
    await Promise.any(attempts.map((attempt) => attempt.then(({ status }) => (status === 200 ? status : Promise.reject(new Error(`status ${status}`))))));
    hearth.child.kill('SIGTERM');

    const results = await Promise.all(attempts);
    expect(await hearth.exited).toBe(0);
    expect(seen).toContainEqual({ id: null, method: 'reconnect' });
    expect((await closing).code).toBe(CloseCode.serviceRestart);

    const acknowledged = results.filter((r) => r.status === 200).map((r) => r.username);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Everything acknowledged before the stop is in the database after it.
    hearth = await spawnHearth({ DATABASE_URL: `file:${dbFile}` });
    for (const username of acknowledged) {
      expect((await call(hearth.url, 'auth.login', { username, password: PASSWORD })).status).toBe(200);
    }
  });
});
