import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, it } from 'vitest';
import { REPLACED_REASON, SESSION_COOKIE } from '../../src/shared/wire.ts';
import { expectAccessible } from '../helpers/axe.ts';
import {
  type Account,
  api,
  bootHearth,
  closeAll,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  NARROW,
  openAs,
  openRoom,
  registerAccount,
  texts,
  watchErrors,
} from '../helpers/browser.ts';
import { scrape } from '../helpers/metrics.ts';

const banner = (page: Page) => page.getByTestId('connection-banner');
const openSockets = async (url: string) => (await scrape(url)).get('hearth_websocket_connections') ?? 0;

/** Every text the refusal countdown showed, in order (recorded in the page from its first script on). */
const RECORD_COUNTDOWN = () => {
  const seen: string[] = [];
  (window as unknown as { countdown: string[] }).countdown = seen;
  new MutationObserver(() => {
    const text = document.querySelector('[data-testid="connection-refusal"]')?.textContent;
    if (text && seen.at(-1) !== text) seen.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

describeInBrowser('connection limits in the web app', () => {
  let browser: Browser;
  // 20 new connections a minute from one address: a token every 3 s.
  let tight: Awaited<ReturnType<typeof bootHearth>>;
  // The shipped per-user cap of 5 (the e2e default raises it).
  let capped: Awaited<ReturnType<typeof bootHearth>>;
  let draining: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    [browser, tight, capped] = await Promise.all([
      launchChromium(),
      bootHearth({ WS_CONNECTS_PER_MINUTE_PER_IP: '20' }),
      bootHearth({ MAX_CONNECTIONS_PER_USER: '5', WS_CONNECTS_PER_MINUTE_PER_IP: '120' }),
    ]);
  });

  afterAll(async () => {
    clearInterval(draining);
    await browser?.close();
    await Promise.all([tight?.stop(), capped?.stop()]);
  });

  it('a refused connection says why and counts down to its retry, then connects by itself', async () => {
    const alice = await registerAccount(tight.url, 'alice', 'Alice');
    const room = await api<{ id: string }>(tight.url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [] }, alice.token);
    // Someone at the same address without a session spends the address's whole burst, and each token as it comes back.
    const wsUrl = `${tight.url.replace(/^http/, 'ws')}/api/trpc`;
    const flood: WebSocket[] = [];
    const knock = () => flood.push(new WebSocket(wsUrl).on('error', () => undefined));
    for (let i = 0; i < 20; i++) knock();
    draining = setInterval(knock, 200);
    await eventually(() => openSockets(tight.url)).toBeGreaterThanOrEqual(20);

    // Signed in as openAs does, with the countdown recorded from the page's first script on.
    const context = await browser.newContext();
    await context.addInitScript(RECORD_COUNTDOWN);
    await context.addCookies([{ name: SESSION_COOKIE, value: alice.token, url: tight.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(tight.url);
    await eventually(() => banner(page).getAttribute('data-status')).toBe('refused');
    clearInterval(draining); // from now on the address's tokens come back for the page's retry
    expect(await page.getByTestId('connection-refusal').textContent()).toMatch(
      /^Cannot connect: too many new connections from this address\. Trying again in [1-4] s\.$/,
    );
    await expectAccessible(page, 'the banner of a refused connection');

    // Live again without a reload: the banner goes, and a message sent elsewhere arrives.
    await eventually(() => banner(page).count(), 15_000).toBe(0);
    const seen = await page.evaluate(() => (window as unknown as { countdown: string[] }).countdown);
    const seconds = seen.map((text) => Number(/in (\d+) s/.exec(text)?.[1] ?? 0));
    // A retry can be refused once more while the flood's last tokens come back (a loaded machine):
    // each refusal counts down anew from its own retryAfter, so the countdown is read per refusal.
    const refusals: number[][] = [];
    for (const [i, s] of seconds.entries()) {
      if (i === 0 || s > seconds[i - 1]!) refusals.push([]);
      refusals.at(-1)!.push(s);
    }
    expect(refusals.length).toBeLessThanOrEqual(3);
    const last = refusals.at(-1)!;
    expect(last.length).toBeGreaterThanOrEqual(2);
    expect(last.at(0)).toBeGreaterThan(last.at(-1)!); // counting down
    await openRoom(page, 'ops');
    await api(tight.url, 'messages.send', { roomId: room.id, body: 'you are live', clientMessageId: 'live-1' }, alice.token);
    await eventually(() => texts(page)).toEqual(['you are live']);
    flood.forEach((ws) => ws.close());
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a person's sixth tab works: their oldest says why it stopped, and comes back when asked, with the keyboard", async () => {
    const bob = await registerAccount(capped.url, 'bob', 'Bob');
    const carol: Account = await registerAccount(capped.url, 'carol', 'Carol');
    const room = await api<{ id: string }>(capped.url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [carol.id] }, bob.token);
    const first = await openAs(browser, capped.url, bob);
    const tabs: Page[] = [first.page];
    await eventually(() => openSockets(capped.url)).toBe(1);
    for (let i = 2; i <= 6; i++) {
      const page = await first.context.newPage();
      await page.goto(capped.url);
      await page.getByTestId('whoami').waitFor();
      tabs.push(page);
      if (i <= 5) await eventually(() => openSockets(capped.url)).toBe(i);
    }
    const sixth = tabs[5]!;
    const oldest = tabs[0]!;

    // The oldest tab was closed for the sixth, and says so.
    await eventually(() => banner(oldest).getAttribute('data-status')).toBe('replaced');
    expect(await banner(oldest).textContent()).toContain(REPLACED_REASON);
    await eventually(() => openSockets(capped.url)).toBe(5);
    for (const tab of tabs.slice(1)) expect(await banner(tab).count()).toBe(0);

    // The sixth tab is live.
    await openRoom(sixth, 'ops');
    await api(capped.url, 'messages.send', { roomId: room.id, body: 'to the sixth tab', clientMessageId: 'six-1' }, carol.token);
    await eventually(() => texts(sixth)).toEqual(['to the sixth tab']);

    // The banner has its own row: the room header is never under it, on a desktop or a phone.
    await openRoom(oldest, 'ops');
    for (const viewport of [{ width: 1280, height: 800 }, NARROW]) {
      await oldest.setViewportSize(viewport);
      const header = oldest.locator('.room-header');
      await header.waitFor();
      const [bar, head] = await Promise.all([banner(oldest).boundingBox(), header.boundingBox()]);
      expect(bar && head, `banner and header at ${viewport.width} px`).toBeTruthy();
      expect(bar!.y + bar!.height, `banner bottom above the header at ${viewport.width} px`).toBeLessThanOrEqual(head!.y + 0.5);
      await expectAccessible(oldest, `the replaced tab's banner at ${viewport.width} px`);
    }

    // Asked back with the keyboard: it connects, and the tab that is now the oldest makes room.
    const button = oldest.getByRole('button', { name: 'Use Hearth in this tab' });
    await button.focus();
    await oldest.keyboard.press('Enter');
    await eventually(() => banner(oldest).count()).toBe(0);
    await eventually(() => banner(tabs[1]!).getAttribute('data-status')).toBe('replaced');
    await api(capped.url, 'messages.send', { roomId: room.id, body: 'back in the first tab', clientMessageId: 'one-1' }, carol.token);
    await eventually(() => texts(oldest)).toEqual(['to the sixth tab', 'back in the first tab']);
    await eventually(() => openSockets(capped.url)).toBe(5);
    expect(first.errors).toEqual([]);
    await closeAll(first.context);
  }, 90_000);
});
