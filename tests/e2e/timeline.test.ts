import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { colourIndex, personColour } from '../../src/trpc/colours.ts';
import { dayLabel } from '../../src/trpc/days.ts';
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
  openAs as openSignedIn,
  openRoom,
  PASSWORD,
  registerAccount,
  send,
  texts,
  type Account,
} from '../helpers/browser.ts';

/** The viewer's language and zone: day names and hover dates are in them. */
const VIEWER = { locale: 'en-GB', timezoneId: 'UTC' };
const DAY = 86_400_000;

/** A browser context signed in as `account`, in VIEWER's language and zone. */
const openAs = (browser: Browser, url: string, account: Account) => openSignedIn(browser, url, account, DESKTOP, VIEWER);

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / });
const roomLink = (page: Page, name: string) => page.getByTestId('room-link').filter({ hasText: name }).first();
const hex = (colour: string) => `rgb(${[1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)).join(', ')})`;

/** Whether `locator` is inside the visible part of the message list. */
const inView = (page: Page, testId: string) =>
  page.evaluate((id) => {
    const list = document.querySelector('[data-testid="messages"]')!.getBoundingClientRect();
    const items = [...document.querySelectorAll(`[data-testid="${id}"]`)];
    const item = items.at(-1)?.getBoundingClientRect();
    return item !== undefined && item.top >= list.top - 1 && item.bottom <= list.bottom + 1;
  }, testId);

describeInBrowser('the timeline: days, unread, drafts, the quick switcher, presence and colours', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let dir: string;
  let browser: Browser;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let a: { context: BrowserContext; page: Page; errors: string[] };
  const rooms: Record<'history' | 'busy' | 'quiet' | 'direct', string> = { history: '', busy: '', quiet: '', direct: '' };
  const createdAt: string[] = [];

  const say = (by: Account, roomId: string, body: string) =>
    api<{ seq: number; createdAt: string }>(app.url, 'messages.send', { roomId, body, clientMessageId: randomUUID() }, by.token);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-timeline-'));
    [app, browser] = await Promise.all([bootHearth({ DATABASE_URL: `file:${path.join(dir, 'hearth.db')}` }), launchChromium()]);
    alice = await registerAccount(app.url, 'alice', 'Alice');
    // Colours come from a hash of the id: take a Bob whose colour is not Alice's, as most are.
    bob = await registerAccount(app.url, 'bob', 'Bob');
    for (let i = 1; colourIndex(bob.id) === colourIndex(alice.id); i++) bob = await registerAccount(app.url, `bob${i}`, 'Bob');
    carol = await registerAccount(app.url, 'carol', 'Carol');
    const create = async (name: string) => (await api<{ id: string }>(app.url, 'rooms.create', { name, kind: 'closed', memberIds: [bob.id] }, alice.token)).id;
    rooms.history = await create('history');
    rooms.busy = await create('busy');
    rooms.quiet = await create('quiet');
    rooms.direct = (await api<{ id: string }>(app.url, 'rooms.direct', { userIds: [bob.id] }, alice.token)).id;

    // History: a message ten days ago, one yesterday, two today (written straight into the database).
    for (const body of ['ten days ago', 'yesterday', 'today, first']) await say(bob, rooms.history, body);
    await say(alice, rooms.history, 'today, mine');
    const read = () => api<{ messages: Array<{ id: string; createdAt: string }> }>(app.url, 'messages.history', { roomId: rooms.history }, alice.token);
    const now = Date.now();
    const db = new Database(path.join(dir, 'hearth.db'));
    const [tenDaysAgo, yesterday] = (await read()).messages;
    for (const [message, at] of [
      [tenDaysAgo!, now - 10 * DAY],
      [yesterday!, now - DAY],
    ] as const) {
      expect(db.prepare('UPDATE "Message" SET createdAt = ? WHERE id = ?').run(new Date(at).toISOString(), message.id).changes).toBe(1);
    }
    db.close();
    createdAt.push(...(await read()).messages.map((m) => m.createdAt));

    // Busy: Alice read five, then sixty more came (more than the first page of fifty).
    let lastRead = 0;
    for (let i = 1; i <= 5; i++) lastRead = (await say(bob, rooms.busy, `read ${i}`)).seq;
    await api(app.url, 'messages.markRead', { roomId: rooms.busy, seq: lastRead }, alice.token);
    for (let i = 1; i <= 60; i++) await say(bob, rooms.busy, `unread ${i}`);

    a = await openAs(browser, app.url, alice);
  });

  afterAll(async () => {
    await closeAll(a?.context);
    await browser?.close();
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows unread rooms in bold, and the room I open no longer', async () => {
    const weight = (name: string) =>
      roomLink(a.page, name)
        .locator('.room-link-name')
        .evaluate((el) => getComputedStyle(el).fontWeight);
    await eventually(() => roomLink(a.page, 'busy').getAttribute('data-unread')).toBe('true');
    expect(await weight('busy')).toBe('700');
    expect(await roomLink(a.page, 'quiet').getAttribute('data-unread')).toBe('false');
    expect(await weight('quiet')).not.toBe('700');

    await say(bob, rooms.quiet, 'psst');
    await eventually(() => roomLink(a.page, 'quiet').getAttribute('data-unread')).toBe('true');
    await openRoom(a.page, 'quiet');
    await eventually(() => texts(a.page)).toEqual(['psst']);
    await openRoom(a.page, 'history');
    await eventually(() => roomLink(a.page, 'quiet').getAttribute('data-unread')).toBe('false');
    expect(await weight('quiet')).not.toBe('700');
  });

  it('separates days (Today, Yesterday, then the date) and gives each time its full date on hover', async () => {
    await eventually(() => texts(a.page)).toEqual(['ten days ago', 'yesterday', 'today, first', 'today, mine']);
    const now = new Date();
    const labels = await a.page.getByTestId('day-separator').allInnerTexts();
    expect(labels).toEqual([dayLabel(createdAt[0]!, now, { locale: 'en-GB', timeZone: 'UTC' }), 'Yesterday', 'Today']);
    expect(labels[0]).toMatch(/^\w+day \d+ \w+/); // ten days ago: a date, not a weekday alone

    const full = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' });
    const times = await a.page
      .getByTestId('message')
      .locator('time')
      .evaluateAll((els) => els.map((el) => ({ at: el.getAttribute('datetime'), title: el.getAttribute('title') })));
    expect(times).toEqual(createdAt.map((at) => ({ at, title: full.format(new Date(at)) })));
    await expectAccessible(a.page, 'the room view with day separators');
  });

  it('puts a "New messages" line at the first unread, with "Jump to first unread" and "Jump to latest" by keyboard', async () => {
    await openRoom(a.page, 'busy');
    await eventually(() => a.page.getByTestId('message').count()).toBeGreaterThanOrEqual(50);
    const toUnread = a.page.getByRole('button', { name: /Jump to first unread/ });
    const toLatest = a.page.getByRole('button', { name: /Jump to latest/ });
    await toUnread.waitFor();
    expect(await toLatest.count()).toBe(0); // the room opens at the newest message
    expect(await a.page.getByTestId('unread-line').count()).toBe(0); // "unread 1" is not loaded yet

    await toUnread.focus();
    await a.page.keyboard.press('Enter');
    await eventually(() => inView(a.page, 'unread-line')).toBe(true);
    // The line sits right above the first unread message, once.
    expect(await a.page.getByTestId('unread-line').count()).toBe(1);
    const next = await a.page
      .getByTestId('unread-line')
      .evaluate((line) => line.nextElementSibling?.querySelector('[data-testid="message-body"]')?.textContent);
    expect(next).toBe('unread 1');
    await toUnread.waitFor({ state: 'detached' });
    await toLatest.waitFor();

    await toLatest.focus();
    await a.page.keyboard.press('Enter');
    await eventually(() => inView(a.page, 'message')).toBe(true);
    await toLatest.waitFor({ state: 'detached' });
    await expect(toUnread.isVisible()).resolves.toBe(true); // the line is out of view again
    await expectAccessible(a.page, 'the room view with the jump buttons');

    // Read while watching: the line stays where it was, and a new message gets none.
    await say(bob, rooms.busy, 'live one');
    await eventually(() => texts(a.page).then((t) => t.at(-1))).toBe('live one');
    expect(await a.page.getByTestId('unread-line').count()).toBe(1);
    const stillAbove = await a.page
      .getByTestId('unread-line')
      .evaluate((line) => line.nextElementSibling?.querySelector('[data-testid="message-body"]')?.textContent);
    expect(stillAbove).toBe('unread 1');

    // Opened again, everything is read: no line.
    await openRoom(a.page, 'quiet');
    await openRoom(a.page, 'busy');
    await eventually(() => texts(a.page).then((t) => t.at(-1))).toBe('live one');
    expect(await a.page.getByTestId('unread-line').count()).toBe(0);
    expect(await toUnread.count()).toBe(0);
  });

  it('keeps a draft per room across room switches and reloads, and clears it on send', async () => {
    await openRoom(a.page, 'history');
    await composer(a.page).fill('half a thought about history');
    await openRoom(a.page, 'quiet');
    expect(await composer(a.page).inputValue()).toBe('');
    await composer(a.page).fill('something quiet');
    await openRoom(a.page, 'history');
    expect(await composer(a.page).inputValue()).toBe('half a thought about history');

    await a.page.reload();
    await a.page.getByTestId('whoami').waitFor();
    await eventually(() => composer(a.page).inputValue()).toBe('half a thought about history');
    await openRoom(a.page, 'quiet');
    expect(await composer(a.page).inputValue()).toBe('something quiet');

    await composer(a.page).press('Enter');
    await eventually(() => texts(a.page).then((t) => t.at(-1))).toBe('something quiet');
    await a.page.reload();
    await a.page.getByTestId('whoami').waitFor();
    await eventually(() => a.page.getByRole('heading', { level: 2, name: /quiet/ }).count()).toBe(1);
    expect(await composer(a.page).inputValue()).toBe('');
  });

  it('edits my last message with Up in an empty composer; Escape cancels and gives the composer back', async () => {
    await openRoom(a.page, 'quiet');
    await send(a.page, 'my last words');
    await eventually(() => texts(a.page).then((t) => t.at(-1))).toBe('my last words');
    await eventually(() => a.page.locator('[data-status="sent"]').filter({ hasText: 'my last words' }).count()).toBe(1);

    await composer(a.page).press('ArrowUp');
    const editor = a.page.getByRole('textbox', { name: 'Edit message' });
    await eventually(() => editor.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await editor.inputValue()).toBe('my last words');
    await editor.fill('my edited last words');
    await editor.press('Enter');
    await eventually(() => texts(a.page).then((t) => t.at(-1))).toBe('my edited last words (edited)');
    await eventually(() => composer(a.page).evaluate((el) => el === document.activeElement)).toBe(true);
    const history = await api<{ messages: Array<{ body: string; editedAt: string | null }> }>(app.url, 'messages.history', { roomId: rooms.quiet }, bob.token);
    expect(history.messages.at(-1)).toMatchObject({ body: 'my edited last words', editedAt: expect.any(String) });

    await composer(a.page).press('ArrowUp');
    await editor.waitFor();
    await editor.fill('never saved');
    await editor.press('Escape');
    await editor.waitFor({ state: 'detached' });
    expect(await texts(a.page).then((t) => t.at(-1))).toBe('my edited last words (edited)');
    expect(await composer(a.page).evaluate((el) => el === document.activeElement)).toBe(true);

    // With text in the composer, Up is only a cursor key.
    await composer(a.page).fill('draft stays');
    await composer(a.page).press('ArrowUp');
    expect(await editor.count()).toBe(0);
    expect(await composer(a.page).inputValue()).toBe('draft stays');
    await composer(a.page).fill('');
  });

  it('jumps to any room or person with Ctrl+K, arrows and Enter; Escape closes it', async () => {
    await openRoom(a.page, 'history');
    await a.page.keyboard.press('Control+K');
    const input = a.page.getByRole('combobox', { name: 'Room or person' });
    await eventually(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(a.page, 'the quick switcher');
    await input.fill('u');
    // "busy" and "quiet" match; the highlight moves down to the second and Enter opens it.
    await eventually(() => a.page.getByRole('option').allInnerTexts()).toEqual(['# busy', '# quiet']);
    await a.page.keyboard.press('ArrowDown');
    expect(await a.page.getByRole('option', { selected: true }).innerText()).toBe('# quiet');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await a.page.getByRole('option', { selected: true }).getAttribute('id'));
    await a.page.keyboard.press('Enter');
    await a.page.getByRole('heading', { level: 2, name: /quiet/ }).waitFor();
    expect(await a.page.getByRole('dialog').count()).toBe(0);

    // A person with no direct room yet: Enter makes one and opens it.
    await a.page.keyboard.press('Control+K');
    await input.fill('carol');
    await eventually(() => a.page.getByRole('option').allInnerTexts()).toEqual(['Message Carol @carol']);
    await a.page.keyboard.press('Enter');
    await a.page.getByRole('heading', { level: 2, name: /Carol/ }).waitFor();
    const mine = await api<Array<{ kind: string; memberIds?: string[] }>>(app.url, 'rooms.list', undefined, carol.token);
    expect(mine.filter((r) => r.kind === 'direct').map((r) => r.memberIds?.sort())).toEqual([[alice.id, carol.id].sort()]);

    await a.page.keyboard.press('Control+K');
    await input.waitFor();
    await a.page.keyboard.press('Escape');
    await eventually(() => a.page.getByRole('dialog').count()).toBe(0);
  });

  it('shows who of my direct-message partners is online, live, with words for screen readers', async () => {
    // The dot, and the words said for it, come before the name.
    const dot = roomLink(a.page, `@${bob.username}`).getByTestId('presence');
    const said = () => dot.locator('.sr-only').textContent();
    await eventually(() => dot.getAttribute('data-online')).toBe('false');
    expect(await said()).toBe('offline: ');

    const b = await openAs(browser, app.url, bob);
    await eventually(() => dot.getAttribute('data-online')).toBe('true');
    expect(await said()).toBe('online: ');
    await b.context.close();
    await eventually(() => dot.getAttribute('data-online')).toBe('false');
    expect(await said()).toBe('offline: ');
    expect(b.errors).toEqual([]);
  });

  it('colours each person the same on every reload, differently from each other, in both themes', async () => {
    await openRoom(a.page, 'history');
    await eventually(() => texts(a.page).then((t) => t.length)).toBe(4);
    const colours = () =>
      a.page
        .getByTestId('author')
        .evaluateAll((els) =>
          els.map((el) => [el.closest('[data-author]')!.getAttribute('data-author'), getComputedStyle(el.querySelector('.person-name')!).color]),
        );
    const expected = (theme: 'light' | 'dark') => [
      ['Bob', hex(personColour(bob.id)[theme])],
      ['Bob', hex(personColour(bob.id)[theme])],
      ['Bob', hex(personColour(bob.id)[theme])],
      ['Alice', hex(personColour(alice.id)[theme])],
    ];
    await a.page.emulateMedia({ colorScheme: 'light' });
    expect(await colours()).toEqual(expected('light'));
    expect(hex(personColour(bob.id).light)).not.toBe(hex(personColour(alice.id).light));
    await a.page.reload();
    await eventually(() => texts(a.page).then((t) => t.length)).toBe(4);
    expect(await colours()).toEqual(expected('light'));
    await a.page.emulateMedia({ colorScheme: 'dark' });
    expect(await colours()).toEqual(expected('dark'));
    await a.page.emulateMedia({ colorScheme: null });
  });

  it('says what was wrong in plain words, not validation output', async () => {
    await a.page.getByRole('button', { name: 'New room' }).click();
    await a.page.getByLabel('Room name').fill('   ');
    await a.page.getByRole('button', { name: 'Create room' }).click();
    await eventually(() => a.page.getByRole('dialog').getByRole('alert').textContent()).toBe('Room name cannot be empty');
    await a.page.keyboard.press('Escape');
    await eventually(() => a.page.getByRole('dialog').count()).toBe(0);
  });

  it('keeps drafts apart for two accounts on one browser', async () => {
    await openRoom(a.page, 'history');
    await composer(a.page).fill('only for Alice');
    await a.page.getByRole('button', { name: 'Log out' }).click();
    await a.page.getByLabel('Username').fill(bob.username);
    await a.page.getByLabel('Password').fill(PASSWORD);
    await a.page.getByRole('button', { name: 'Log in', exact: true }).last().click();
    await eventually(() => a.page.getByTestId('whoami').textContent()).toContain('Bob');
    await openRoom(a.page, 'history');
    expect(await composer(a.page).inputValue()).toBe('');
    expect(a.errors).toEqual([]);
  });

  it('serves a favicon', async () => {
    // With unread notifications it carries a badge (notifications.test.ts): Bob, signed in here now, reads his first.
    await api(app.url, 'notifications.markRead', { all: true }, bob.token);
    const icon = a.page.locator('link[rel="icon"]').first();
    await eventually(() => icon.getAttribute('href')).toMatch(/^\/icon\.svg/);
    const href = await icon.getAttribute('href');
    const response = await fetch(new URL(href!, app.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    expect(await response.text()).toContain('<svg');
  });
});
