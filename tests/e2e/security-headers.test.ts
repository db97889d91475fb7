import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/shared/wire.ts';
import {
  api,
  bootHearth,
  closeAll,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  registerAccount,
  send,
  texts,
  watchErrors,
  type Account,
} from '../helpers/browser.ts';

/** The policy's directives by name: `script-src` → its sources. */
function directives(policy: string | undefined): Record<string, string[]> {
  const entries = (policy ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0]);
  return Object.fromEntries(entries.map(([name, ...sources]) => [name!, sources]));
}

/** A context whose pages report every CSP violation (the DOM event, whatever the console says) and every error. */
async function watchedContext(browser: Browser, url: string, account?: Account) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const violations: string[] = [];
  await context.exposeBinding('reportViolation', (_source, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  if (account) await context.addCookies([{ name: SESSION_COOKIE, value: account.token, url, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const errors = watchErrors(page);
  return { context, page, violations, errors };
}

/** The page's headers: a fresh nonce policy that allows nothing foreign, nosniff, and a Referrer-Policy. */
async function expectPageHeaders(response: Response | null, url: string): Promise<string> {
  const headers = response!.headers();
  const policy = directives(headers['content-security-policy']);
  const nonce = /^'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(policy['script-src']?.[1] ?? '')?.[1];
  expect(nonce, headers['content-security-policy']).toBeDefined();
  const host = new URL(url).host;
  expect(policy).toEqual({
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'worker-src': ["'self'"],
    'connect-src': ["'self'", `ws://${host}`, `wss://${host}`],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  });
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  return nonce!;
}

/** Every script element carries the response's nonce: Next rendered the page with it. */
const scriptNonces = (page: Page) => page.evaluate(() => [...document.scripts].map((s) => s.nonce));

describeInBrowser('the pages under a Content-Security-Policy', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
  });

  afterAll(async () => {
    await closeAll(...contexts);
    await browser?.close();
    await app?.stop();
  });

  it('serves the login page with a per-response nonce; its scripts run under the policy without a violation', async () => {
    const { context, page, violations, errors } = await watchedContext(browser, app.url);
    contexts.push(context);
    const nonce = await expectPageHeaders(await page.goto(app.url), app.url);
    await page.getByRole('button', { name: 'Register' }).waitFor(); // drawn by the client: the scripts ran
    const nonces = await scriptNonces(page);
    expect(nonces.length).toBeGreaterThan(1);
    expect(new Set(nonces)).toEqual(new Set([nonce]));
    const again = await expectPageHeaders(await page.reload(), app.url);
    expect(again).not.toBe(nonce);
    await page.getByRole('button', { name: 'Register' }).waitFor();
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps the room view live under the policy: a message sent appears on the other page', async () => {
    const alice = await registerAccount(app.url, 'alice', 'Alice');
    const bob = await registerAccount(app.url, 'bob', 'Bob');
    const room = await api<{ id: string }>(app.url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [bob.id] }, alice.token);
    const [a, b] = await Promise.all([watchedContext(browser, app.url, alice), watchedContext(browser, app.url, bob)]);
    contexts.push(a.context, b.context);
    for (const side of [a, b]) {
      await expectPageHeaders(await side.page.goto(`${app.url}/#room=${room.id}`), app.url);
      await side.page.getByRole('heading', { level: 2, name: /ops/ }).waitFor();
    }
    await send(a.page, 'under a strict policy');
    await eventually(() => texts(b.page)).toEqual(['under a strict policy']);
    expect([...a.violations, ...b.violations]).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('refuses to be framed, by another origin or its own', async () => {
    const { context, page } = await watchedContext(browser, app.url);
    contexts.push(context);
    const refusals: string[] = [];
    page.on('console', (message) => void (/frame-ancestors/.test(message.text()) && refusals.push(message.text())));
    for (const framer of ['about:blank', app.url]) {
      if (framer !== 'about:blank') await page.goto(framer);
      await page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      }, `${app.url}/`);
      await eventually(() => refusals.length).toBe(framer === 'about:blank' ? 1 : 2);
      // Chromium's page for a refused frame; the console line can come before the frame gets it.
      await eventually(() => page.frames().at(-1)!.url()).toBe('chrome-error://chromewebdata/');
      const framed = page.frames().at(-1)!;
      expect(await framed.locator('button').count()).toBe(0);
    }
  });

  it('sends nosniff, the Referrer-Policy and a policy that allows nothing with API answers too', async () => {
    for (const response of [await fetch(`${app.url}/api/trpc/auth.me`), await fetch(`${app.url}/healthz`)]) {
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });
});
