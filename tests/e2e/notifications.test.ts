import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import {
  api,
  bootHearth,
  closeAll,
  DESKTOP,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  openRoom,
  readmeScreenshot,
  registerAccount,
  watchErrors,
  type Account,
} from '../helpers/browser.ts';
import { SESSION_COOKIE } from '../../src/shared/wire.ts';

interface Shown {
  title: string;
  body: string;
  tag: string;
}

/** What the init script leaves on the page for the test to read and drive. */
interface Watched {
  __notes: Array<Shown & { onclick: (() => void) | null }>;
  __focused: number;
  __setHidden(hidden: boolean): void;
}

/**
 * Runs in every page before Hearth: records each `new Notification` (title,
 * body, tag, the page's onclick, which the test calls as a click would), counts
 * `window.focus()` calls, and lets the test hide the page (headless Chromium
 * keeps every page "visible").
 */
function watchNotifications() {
  const w = window as unknown as Watched;
  w.__notes = [];
  w.__focused = 0;
  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  w.__setHidden = (value: boolean) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  window.focus = () => {
    w.__focused += 1;
  };
  const Real = window.Notification;
  class Recorded {
    onclick: (() => void) | null = null;
    title: string;
    body: string;
    tag: string;
    constructor(title: string, options: NotificationOptions = {}) {
      this.title = title;
      this.body = options.body ?? '';
      this.tag = options.tag ?? '';
      w.__notes.push(this);
    }
    close() {}
    static get permission() {
      return Real.permission;
    }
    static requestPermission() {
      return Real.requestPermission();
    }
  }
  (window as unknown as { Notification: unknown }).Notification = Recorded;
}

const bell = (page: Page) => page.getByTestId('bell');
const bellLabel = (page: Page) => bell(page).getAttribute('aria-label');
const favicon = (page: Page) => page.evaluate(() => document.querySelector('link[rel~="icon"]')?.getAttribute('href') ?? '');
const notes = (page: Page) => page.evaluate(() => (window as unknown as Watched).__notes.map(({ title, body, tag }) => ({ title, body, tag })));
const setHidden = (page: Page, hidden: boolean) => page.evaluate((value) => (window as unknown as Watched).__setHidden(value), hidden);
const feedDialog = (page: Page) => page.getByRole('dialog', { name: 'Notifications' });
const feedItems = (page: Page) => feedDialog(page).getByTestId('feed-item');

async function openFeed(page: Page) {
  await bell(page).click();
  await feedDialog(page).waitFor();
}

async function closeFeed(page: Page) {
  await page.keyboard.press('Escape');
  await feedDialog(page).waitFor({ state: 'detached' });
}

describeInBrowser('notifications: the bell and feed, the tab title, desktop notifications', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let alice: Account;
  let bob: Account;
  let dave: Account;
  let context: BrowserContext;
  const tabs: Array<{ page: Page; errors: string[] }> = [];
  const rooms: Record<'ops' | 'quiet' | 'lab' | 'direct', string> = { ops: '', quiet: '', lab: '', direct: '' };
  let sent = 0;
  const say = (room: keyof typeof rooms, body: string, as: Account = alice) =>
    api(app.url, 'messages.send', { roomId: rooms[room], body, clientMessageId: `c${(sent += 1)}` }, as.token);

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    alice = await registerAccount(app.url, 'alice', 'Alice');
    bob = await registerAccount(app.url, 'bob', 'Bob');
    dave = await registerAccount(app.url, 'dave', 'Dave');
    for (const name of ['ops', 'quiet', 'lab'] as const) {
      rooms[name] = (await api<{ id: string }>(app.url, 'rooms.create', { name, kind: 'closed', memberIds: [bob.id] }, alice.token)).id;
    }
    rooms.direct = (await api<{ id: string }>(app.url, 'rooms.direct', { userIds: [bob.id] }, alice.token)).id;
    await api(app.url, 'rooms.setNotify', { roomId: rooms.quiet, level: 'nothing' }, bob.token);
    // Being added to those rooms notified Bob: start from nothing unread.
    await api(app.url, 'notifications.markRead', { all: true }, bob.token);

    // Two tabs of one browser, both allowed to notify.
    context = await browser.newContext({ viewport: DESKTOP, permissions: ['notifications'] });
    context.setDefaultTimeout(10_000);
    await context.addInitScript(watchNotifications);
    await context.addCookies([{ name: SESSION_COOKIE, value: bob.token, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    for (let i = 0; i < 2; i += 1) {
      const page = await context.newPage();
      tabs.push({ page, errors: watchErrors(page) });
      await page.goto(app.url);
      await page.getByTestId('whoami').waitFor();
      await page.locator('[data-testid="bell"][aria-label="Notifications, none unread"]').waitFor();
    }
  });

  afterAll(async () => {
    await closeAll(context);
    await browser?.close();
    await app?.stop();
  });

  const pages = () => tabs.map((tab) => tab.page);
  const allNotes = async () => (await Promise.all(pages().map(notes))).flat();

  it('a mention: the bell counts it live on both tabs, the title and icon say so, the feed names it; opening it reads it everywhere', async () => {
    const [one, two] = pages() as [Page, Page];
    await say('ops', 'hey @bob, the deploy is done');
    for (const page of [one, two]) {
      await eventually(() => bellLabel(page)).toBe('Notifications, 1 unread');
      await eventually(() => page.title()).toBe('(1) Hearth');
      await eventually(() => favicon(page)).toMatch(/^data:image\/svg\+xml,/);
    }
    // Both tabs are in front: the feed is enough, no system notification.
    expect(await allNotes()).toEqual([]);

    await openFeed(one);
    expect(await feedDialog(one).evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
    const item = feedItems(one).first();
    await eventually(() => item.innerText()).toContain('Alice @alice mentioned you in #ops');
    expect(await item.innerText()).toContain('hey @bob, the deploy is done');
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await feedItems(one).nth(1).getAttribute('data-read')).toBe('true');
    await expectAccessible(one, 'the notification feed');
    await readmeScreenshot(one, 'notifications');
    await closeFeed(one);
    expect(await bell(one).evaluate((button) => button === document.activeElement)).toBe(true);

    await openFeed(one);
    await feedItems(one).first().getByRole('button').first().click();
    await feedDialog(one).waitFor({ state: 'detached' });
    await one.getByRole('heading', { level: 2, name: /ops/ }).waitFor();
    for (const page of [one, two]) {
      await eventually(() => bellLabel(page)).toBe('Notifications, none unread');
      await eventually(() => page.title()).toBe('Hearth');
      await eventually(() => favicon(page)).toMatch(/^\/icon\.svg\?/);
    }
    expect(tabs.flatMap((tab) => tab.errors)).toEqual([]);
  });

  it('desktop notifications: none while a tab is in front; both hidden, one per notification across the two tabs; a click focuses and opens the room', async () => {
    const [one, two] = pages() as [Page, Page];
    // One tab hidden, the other in front: the one in front has it in its bell, no tab pops it up.
    await setHidden(one, true);
    await say('direct', 'are you there?');
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, 1 unread');
    expect(await allNotes()).toEqual([]);

    await setHidden(two, true);
    await say('ops', '@bob can you look at the logs?');
    await eventually(async () => (await allNotes()).length).toBe(1);
    await say('direct', 'still there?');
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, 2 unread');
    await eventually(async () => (await allNotes()).map((n) => [n.title, n.body]).sort()).toEqual([
      ['2 new messages from Alice', 'still there?'],
      ['Alice mentioned you in #ops', '@bob can you look at the logs?'],
    ]);
    const shown = await allNotes();
    expect(new Set(shown.map((n) => n.tag)).size).toBe(2);

    // The direct message's notification, clicked in whichever tab showed it.
    const clicked = (await notes(one)).some((n) => n.title.startsWith('2 new messages')) ? one : two;
    await clicked.evaluate(() => (window as unknown as Watched).__notes.find((n) => n.title.startsWith('2 new messages'))?.onclick?.());
    expect(await clicked.evaluate(() => (window as unknown as Watched).__focused)).toBe(1);
    await clicked.getByRole('heading', { level: 2, name: /Alice/ }).waitFor();
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, 1 unread');

    // In front again: opening #ops reads it, and with it its notification, on the server.
    await Promise.all([setHidden(one, false), setHidden(two, false)]);
    await openRoom(two, 'ops');
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, none unread');
    expect(tabs.flatMap((tab) => tab.errors)).toEqual([]);
  });

  it('a contact request is answered from the feed: Accept makes them contacts', async () => {
    const [one, two] = pages() as [Page, Page];
    await api(app.url, 'contacts.request', { userId: bob.id }, dave.token);
    await eventually(() => bellLabel(two)).toBe('Notifications, 1 unread');
    await openFeed(two);
    const item = feedItems(two).first();
    await eventually(() => item.innerText()).toContain('Dave @dave wants to add you as a contact');
    expect(await item.getAttribute('data-kind')).toBe('contact.request');
    await item.getByRole('button', { name: 'Accept' }).click();
    await eventually(() => item.innerText()).toContain('Accepted: you are contacts now.');
    const lists = await api<{ contacts: Array<{ username: string }>; incoming: unknown[] }>(app.url, 'contacts.list', undefined, bob.token);
    expect(lists.contacts.map((c) => c.username)).toEqual(['dave']);
    expect(lists.incoming).toEqual([]);
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, none unread');
    await closeFeed(two);
  });

  it('a room at level "nothing" notifies of nothing; more pages load on demand; Mark all as read reads them everywhere', async () => {
    const [one, two] = pages() as [Page, Page];
    const before = (await allNotes()).length;
    await Promise.all([setHidden(one, true), setHidden(two, true)]);
    await say('quiet', '@bob in the quiet room');
    await say('lab', '@bob lab note 0');
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, 1 unread');
    await eventually(async () => (await allNotes()).length).toBe(before + 1);
    const bodies = (await allNotes()).map((n) => n.body);
    expect(bodies.filter((body) => body === '@bob lab note 0')).toHaveLength(1);
    expect(bodies.some((body) => body.includes('quiet room'))).toBe(false);
    await Promise.all([setHidden(one, false), setHidden(two, false)]);

    for (let i = 1; i <= 30; i += 1) await say('lab', `@bob lab note ${i}`);
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, 31 unread');
    expect(await one.title()).toBe('(31) Hearth');
    // Loaded afresh, the feed has pages to load (here, they all came live onto its first).
    await one.reload();
    await eventually(() => bellLabel(one)).toBe('Notifications, 31 unread');
    await openFeed(one);
    await eventually(() => feedItems(one).count()).toBe(30);
    expect(await feedItems(one).first().innerText()).toContain('@bob lab note 30');
    await feedDialog(one).getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => (await feedItems(one).count()) > 30).toBe(true);
    const texts = await feedItems(one).allInnerTexts();
    expect(texts.some((text) => text.includes('quiet room'))).toBe(false);
    expect(texts.filter((text) => text.includes('lab note'))).toHaveLength(31);

    await feedDialog(one).getByRole('button', { name: 'Mark all as read' }).click();
    for (const page of [one, two]) {
      await eventually(() => bellLabel(page)).toBe('Notifications, none unread');
      await eventually(() => page.title()).toBe('Hearth');
    }
    await eventually(() => feedItems(one).evaluateAll((items) => items.every((item) => item.getAttribute('data-read') === 'true'))).toBe(true);
    await closeFeed(one);
    const page = await api<{ items: Array<{ roomId: string | null; kind: string }>; unread: number }>(app.url, 'notifications.list', { limit: 100 }, bob.token);
    expect(page.unread).toBe(0);
    // Only being added to it, from before its level was set.
    expect(page.items.filter((n) => n.roomId === rooms.quiet).map((n) => n.kind)).toEqual(['room.added']);
    expect(tabs.flatMap((tab) => tab.errors)).toEqual([]);
  });

  it('a notification that came while the page was offline is in the bell once it is back', async () => {
    const [one, two] = pages() as [Page, Page];
    await context.setOffline(true);
    await eventually(() => one.getByText(/offline/i).count()).toBeGreaterThan(0);
    await say('lab', '@bob while you were away');
    await context.setOffline(false);
    for (const page of [one, two]) await eventually(() => bellLabel(page)).toBe('Notifications, 1 unread');
    await openFeed(two);
    await eventually(() => feedItems(two).first().innerText()).toContain('@bob while you were away');
    await closeFeed(two);
  });
});
