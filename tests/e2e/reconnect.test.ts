import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import {
  type Account,
  aliceAndBobInARoom,
  api,
  closeAll,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  openAs,
  send,
  texts,
} from '../helpers/browser.ts';
import { spawnHearth, type HearthProcess } from '../helpers/process.ts';

const banner = (page: Page) => page.getByTestId('connection-banner');

describeInBrowser('the web app while its server restarts', () => {
  let dir: string;
  let server: HearthProcess;
  let env: Record<string, string>;
  let browser: Browser;
  let alice: Account;
  let roomId: string;
  let a: Awaited<ReturnType<typeof openAs>>;
  let b: Awaited<ReturnType<typeof openAs>>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
    env = { DATABASE_URL: `file:${path.join(dir, 'hearth.db')}`, WS_CONNECTS_PER_MINUTE_PER_IP: '100000', MAX_CONNECTIONS_PER_USER: '100' };
    [server, browser] = await Promise.all([spawnHearth(env), launchChromium()]);
    ({ alice, roomId, a, b } = await aliceAndBobInARoom(browser, server.url));
  });

  afterAll(async () => {
    await closeAll(a?.context, b?.context);
    await browser?.close();
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says it is reconnecting while the server is away, then is live again and has missed nothing, without a reload', async () => {
    await send(a.page, 'before');
    await eventually(() => texts(b.page)).toEqual(['before']);
    // A reload would lose this.
    await b.page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    // SIGTERM: the server tells clients to reconnect and goes away.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await eventually(() => banner(b.page).getAttribute('data-status')).toBe('reconnecting');
    expect(await banner(b.page).textContent()).toContain('Reconnecting');

    // Back on the same address and database; a message is sent before the pages are back.
    server = await spawnHearth({ ...env, PORT: new URL(server.url).port });
    await api(server.url, 'messages.send', { roomId, body: 'while Bob was away', clientMessageId: 'away-1' }, alice.token);
    await eventually(() => banner(b.page).count(), 20_000).toBe(0);
    await eventually(() => banner(a.page).count(), 20_000).toBe(0);
    await send(a.page, 'after');
    await eventually(() => texts(b.page)).toEqual(['before', 'while Bob was away', 'after']);
    expect(await b.page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
