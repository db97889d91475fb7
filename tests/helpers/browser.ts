import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/shared/wire.ts';
import { ROOT, spawnHearth, TEST_SETUP_TOKEN, type HearthProcess } from './process.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery';
export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };
export const ARTIFACTS = path.join(ROOT, 'test-results');

/**
 * `describe` for suites that drive Chromium. Without a Chromium they skip,
 * saying how to get one, except under CI=true, where a missing browser fails.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (fs.existsSync(CHROMIUM)) {
    describe(name, suite);
    return;
  }
  const hint = `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs Chromium (${hint})`, () => {
        throw new Error(hint);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${hint})`, suite);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Abuse limits sized for one machine running many test browsers from one
 * address and seeding rooms through the API; a suite that tests a limit sets
 * its own.
 */
const ROOMY_LIMITS = {
  MESSAGES_PER_MINUTE: '100000',
  MESSAGE_BURST: '100000',
  WS_CONNECTS_PER_MINUTE_PER_IP: '100000',
  LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: '100000',
  MAX_CONNECTIONS_PER_USER: '100',
};

/** The whole app, booted as `npm start` does, on a fresh database. */
export async function bootHearth(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
  const hearth: HearthProcess = await spawnHearth({ DATABASE_URL: `file:${path.join(dir, 'hearth.db')}`, ...ROOMY_LIMITS, ...env });
  return {
    url: hearth.url,
    hearth,
    async stop() {
      if (hearth.child.exitCode === null) {
        hearth.child.kill('SIGTERM');
        await hearth.exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plain-JSON tRPC over HTTP, for setting the scene and checking the database's view. */
/** A room as rooms.list and admin.rooms.list show it, as far as these tests read it. */
export interface RoomRow {
  id: string;
  name: string;
  archived?: boolean;
  unread?: number;
}

export async function api<T = unknown>(url: string, procedure: string, input?: unknown, token?: string): Promise<T> {
  const isQuery = /\.(me|search|list|browse|members|get|history|receipts|stats)$/.test(procedure);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = isQuery
    ? await fetch(`${url}/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers })
    : await fetch(`${url}/api/trpc/${procedure}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!body.result) throw new Error(`${procedure} failed (${response.status}): ${body.error?.message}`);
  return body.result.data;
}

export interface Account {
  username: string;
  token: string;
  id: string;
}

export async function registerAccount(url: string, username: string, displayName?: string): Promise<Account> {
  // With the setup token the first account claims the server (the admin); later ones register as REGISTRATION=open lets them.
  const input = { username, password: PASSWORD, displayName, setupToken: TEST_SETUP_TOKEN };
  const { token, user } = await api<{ token: string; user: { id: string } }>(url, 'auth.register', input);
  return { username, token, id: user.id };
}

/**
 * A browser context signed in as `account` (its session cookie set, as a login
 * would), with one page open on the app; `options` for the context (locale, time zone). Page errors fail the test that reads them.
 */
export async function openAs(browser: Browser, url: string, account: Account, viewport = DESKTOP, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport, ...options });
  context.setDefaultTimeout(10_000);
  await context.addCookies([{ name: SESSION_COOKIE, value: account.token, url, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByTestId('whoami').waitFor();
  return { context, page, errors };
}

/** Uncaught exceptions and console errors (other than failed network loads while offline). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/ERR_INTERNET_DISCONNECTED|Failed to load resource|WebSocket connection to/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  return errors;
}

/** Alice and Bob, each with a page open on "ops", a closed room of the two of them. */
export async function aliceAndBobInARoom(browser: Browser, url: string) {
  const alice = await registerAccount(url, 'alice', 'Alice');
  const bob = await registerAccount(url, 'bob', 'Bob');
  const roomId = (await api<{ id: string }>(url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [bob.id] }, alice.token)).id;
  const [a, b] = await Promise.all([openAs(browser, url, alice), openAs(browser, url, bob)]);
  await Promise.all([openRoom(a.page, 'ops'), openRoom(b.page, 'ops')]);
  return { alice, bob, roomId, a, b };
}

export async function openRoom(page: Page, name: string): Promise<void> {
  await page.getByTestId('room-link').filter({ hasText: name }).first().click();
  await page.getByRole('heading', { level: 2, name: new RegExp(name) }).waitFor();
}

/** Types into the composer and presses Enter, as a person would. */
export async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: /^Message / });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The room's messages as shown: text, status and seq, top to bottom. */
export async function shownMessages(page: Page) {
  return page.getByTestId('message').evaluateAll((items) =>
    items.map((item) => ({
      text: (item.querySelector('[data-testid="message-body"]') as HTMLElement | null)?.innerText ?? '',
      status: item.getAttribute('data-status'),
      seq: item.hasAttribute('data-seq') ? Number(item.getAttribute('data-seq')) : null,
    })),
  );
}

export const texts = async (page: Page) => (await shownMessages(page)).map((m) => m.text);

/** Saves a screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A screenshot the README shows: saved to test-results/, and to docs/screenshots/ under `npm run screenshots`. */
export async function readmeScreenshot(page: Page, name: string): Promise<void> {
  const file = await screenshot(page, name);
  if (process.env.HEARTH_UPDATE_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(ROOT, 'docs', 'screenshots', `${name}.png`));
}

export async function closeAll(...contexts: Array<BrowserContext | undefined>): Promise<void> {
  await Promise.all(contexts.map((c) => c?.close().catch(() => undefined)));
}

/** expect.poll with a timeout fit for a browser and a server sharing two cores. */
export const eventually = <T>(read: () => T | Promise<T>, timeout = 10_000) => expect.poll(read, { timeout, interval: 100 });

export { expect };
