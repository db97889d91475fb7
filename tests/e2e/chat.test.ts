import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import {
  api,
  bootHearth,
  closeAll,
  DESKTOP,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  NARROW,
  openAs,
  openRoom,
  PASSWORD,
  screenshot,
  send,
  shownMessages,
  texts,
  watchErrors,
  type RoomRow,
} from '../helpers/browser.ts';
import { ROOT, TEST_SETUP_TOKEN } from '../helpers/process.ts';

/**
 * The README's picture is committed: a test run leaves it alone (its shots go
 * to test-results/, ignored) and refreshes it only when asked to with
 * HEARTH_UPDATE_SCREENSHOTS=1.
 */
const README_SCREENSHOT = path.join(ROOT, 'docs', 'screenshots', 'room-desktop.png');
const readmeShot = (name: string) => path.join(ROOT, 'docs', 'screenshots', `${name}.png`);
const updateReadmeScreenshot = process.env.HEARTH_UPDATE_SCREENSHOTS === '1';

/** Registers through the login screen, as a new user would (the first one through the setup link, as its admin). */
async function registerInUi(page: Page, username: string, displayName: string, setupLink?: string) {
  if (setupLink) {
    // As a person opening the link would: a fresh load of the page at that address. (A
    // fragment-only navigation while the page is still starting can be undone by Next's
    // router writing its first history entry, from the address it was loaded with.)
    await page.goto('about:blank');
    await page.goto(setupLink);
    await page.getByLabel('Display name (optional)').waitFor();
  } else await page.getByRole('button', { name: 'Register' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name (optional)').fill(displayName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: setupLink ? 'Create admin account' : 'Create account' }).click();
  await eventually(() => page.getByTestId('whoami').textContent()).toContain(displayName);
}

describeInBrowser('the web app: two people chatting', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let alice: { context: BrowserContext; page: Page; errors: string[] };
  let bob: { context: BrowserContext; page: Page; errors: string[] };

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    const open = async () => {
      const context = await browser.newContext({ viewport: DESKTOP });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(app.url);
      return { context, page, errors };
    };
    [alice, bob] = await Promise.all([open(), open()]);
  });

  afterAll(async () => {
    await closeAll(alice?.context, bob?.context);
    await browser?.close();
    await app?.stop();
  });

  it('registers and logs in through the login screen; only the admin sees the admin link', async () => {
    await registerInUi(alice.page, 'alice', 'Alice', `${app.url}/#setup=${TEST_SETUP_TOKEN}`);
    await registerInUi(bob.page, 'bob', 'Bob');
    await eventually(() => alice.page.getByRole('link', { name: 'Admin' }).count()).toBe(1);
    expect(await bob.page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    await bob.page.getByRole('button', { name: 'Log out' }).click();
    await bob.page.getByLabel('Username').fill('bob');
    await bob.page.getByLabel('Password').fill('not the password');
    await bob.page.getByRole('button', { name: 'Log in', exact: true }).last().click();
    await eventually(() => bob.page.locator('form [role="alert"]').textContent()).toBe('Invalid username or password');
    await bob.page.getByLabel('Password').fill(PASSWORD);
    await bob.page.locator('form').getByRole('button', { name: 'Log in' }).click();
    await eventually(() => bob.page.getByTestId('whoami').textContent()).toContain('Bob');
  });

  it('creates a room; the other person finds it under "Browse rooms" and joins', async () => {
    await alice.page.getByRole('button', { name: 'New room' }).click();
    await alice.page.getByLabel('Room name').fill('general');
    await alice.page.getByRole('button', { name: 'Create room' }).click();
    await alice.page.getByRole('heading', { level: 2, name: '# general' }).waitFor();

    await bob.page.getByRole('button', { name: 'Browse rooms' }).click();
    await bob.page.getByRole('button', { name: 'Join general' }).click();
    await bob.page.getByRole('heading', { level: 2, name: '# general' }).waitFor();
    await eventually(() => alice.page.locator('.room-title').textContent()).toContain('2 members');
  });

  it('shows typing and presence, and delivers a message to the other page live, exactly once', async () => {
    // Presence: each sees the other online in the room.
    await eventually(() => alice.page.getByTestId('online-user').allTextContents()).toEqual(['Alice @alice', 'Bob @bob']);
    await eventually(() => bob.page.getByTestId('online-user').allTextContents()).toEqual(['Alice @alice', 'Bob @bob']);

    const composer = bob.page.getByRole('textbox', { name: 'Message # general' });
    await composer.pressSequentially('Hello Al');
    await eventually(() => alice.page.getByTestId('typing').textContent()).toBe('Bob @bob is typing…');
    expect(await bob.page.getByTestId('typing').textContent()).toBe('');

    // Shift+Enter is a new line; Enter sends.
    await composer.press('Shift+Enter');
    await composer.pressSequentially('second line');
    expect(await composer.inputValue()).toBe('Hello Al\nsecond line');
    await composer.press('Enter');
    expect(await composer.inputValue()).toBe('');

    await eventually(() => texts(alice.page)).toEqual(['Hello Al\nsecond line']);
    await eventually(() => alice.page.getByTestId('typing').textContent()).toBe('');
    await send(alice.page, 'Hi Bob!');
    await eventually(() => shownMessages(bob.page)).toEqual([
      { text: 'Hello Al\nsecond line', status: 'sent', seq: expect.any(Number) },
      { text: 'Hi Bob!', status: 'sent', seq: expect.any(Number) },
    ]);
    const [a, b] = [await shownMessages(alice.page), await shownMessages(bob.page)];
    expect(a).toEqual(b);
    expect(a[0]!.seq!).toBeLessThan(a[1]!.seq!);
  });

  it('edits and deletes my own messages, in every page', async () => {
    const mine = bob.page.getByTestId('message').filter({ hasText: 'Hello Al' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit message' }).click();
    const editor = bob.page.getByLabel('Edit message');
    await editor.fill('Hello Alice');
    await editor.press('Enter');
    await eventually(() => texts(alice.page)).toEqual(['Hello Alice', 'Hi Bob!']);
    await eventually(() => alice.page.getByTestId('message').first().textContent()).toContain('(edited)');
    // Not mine: no edit or delete buttons, only Delete for me.
    const theirs = bob.page.getByTestId('message').filter({ hasText: 'Hi Bob!' }).getByRole('button');
    expect(await theirs.allTextContents()).toEqual(['Delete for me']);

    await send(bob.page, 'oops, wrong room');
    await eventually(() => texts(alice.page)).toEqual(['Hello Alice', 'Hi Bob!', 'oops, wrong room']);
    const oops = bob.page.getByTestId('message').filter({ hasText: 'oops' });
    await oops.hover();
    await oops.getByRole('button', { name: 'Delete message' }).click();
    await oops.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(() => texts(alice.page)).toEqual(['Hello Alice', 'Hi Bob!']);
    await eventually(() => texts(bob.page)).toEqual(['Hello Alice', 'Hi Bob!']);
  });

  it('shows "Seen by" under my last message once the other person has read it', async () => {
    // Bob has the room open and visible, so he reads Alice's message as it arrives.
    await send(alice.page, 'Did you see this?');
    const seen = alice.page.getByTestId('message').filter({ hasText: 'Did you see this?' }).getByTestId('seen-by');
    await eventually(() => seen.textContent()).toBe('Seen by Bob @bob');
    expect(await alice.page.getByTestId('seen-by').count()).toBe(1);
  });

  it('starts a DM by searching people; an unread badge shows in a room not open and clears when opened', async () => {
    await bob.page.getByRole('button', { name: 'New direct message' }).click();
    await bob.page.getByLabel('Find people').fill('ali');
    await bob.page.getByRole('button', { name: 'Message Alice @alice' }).click();
    await bob.page.getByRole('heading', { level: 2, name: 'Alice @alice' }).waitFor();
    await send(bob.page, 'psst, in private');
    await send(bob.page, 'two unread');

    // Alice is still in #general: the DM appears with a badge.
    const dm = alice.page.getByTestId('room-link').filter({ hasText: 'Bob' });
    await eventually(() => dm.getByTestId('unread-badge').textContent()).toBe('2');
    expect(await alice.page.getByTestId('unread-badge').count()).toBe(1);

    await dm.click();
    await eventually(() => texts(alice.page)).toEqual(['psst, in private', 'two unread']);
    await eventually(() => alice.page.getByTestId('unread-badge').count()).toBe(0);
    // Back in #general the DM stays read: the server agrees.
    await openRoom(alice.page, 'general');
    const token = await tokenOf(alice.context);
    await eventually(async () => (await api<RoomRow[]>(app.url, 'rooms.list', undefined, token)).map((r) => r.unread)).toEqual([0, 0]);
    expect(await alice.page.getByTestId('unread-badge').count()).toBe(0);
  });

  it('loads older pages of history as you scroll up, in order', async () => {
    const token = await tokenOf(alice.context);
    const room = await api<RoomRow>(app.url, 'rooms.create', { name: 'history', kind: 'open' }, token);
    for (let i = 1; i <= 130; i++) {
      await api(app.url, 'messages.send', { roomId: room.id, body: `old message ${i}`, clientMessageId: `seed-${i}` }, token);
    }
    await openRoom(alice.page, 'history');
    await eventually(async () => (await texts(alice.page)).length).toBe(50);
    expect((await texts(alice.page)).at(-1)).toBe('old message 130');

    const list = alice.page.getByTestId('messages');
    // Each scroll to the top brings at least one older page.
    for (let shown = 50; shown < 130; shown = (await texts(alice.page)).length) {
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      await eventually(async () => (await texts(alice.page)).length).toBeGreaterThan(shown);
    }
    expect(await texts(alice.page)).toEqual(Array.from({ length: 130 }, (_, i) => `old message ${i + 1}`));
    await eventually(() => alice.page.getByText('This is the beginning of the room.').count()).toBe(1);
  });

  it("shows the API's reason when a send is refused, with Retry and Discard", async () => {
    await openRoom(alice.page, 'general');
    await openRoom(bob.page, 'general');
    await send(bob.page, 'x'.repeat(10_001));
    const failed = bob.page.locator('[data-testid="message"][data-status="failed"]');
    await eventually(() => failed.getByRole('alert').textContent()).toContain('A message can be at most 10000 characters');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await eventually(() => failed.getByRole('alert').textContent()).toContain('at most 10000 characters');
    await failed.getByRole('button', { name: 'Discard' }).click();
    await eventually(() => failed.count()).toBe(0);
    // Bob's next message is the sentinel: the refused one, had it gone out, would show before it.
    await send(bob.page, 'Sorry, that paste was far too long.');
    await eventually(async () => (await texts(alice.page)).at(-1)).toBe('Sorry, that paste was far too long.');
    expect(await texts(alice.page)).not.toContain('x'.repeat(10_001));
  });

  it('fits a narrow (mobile) viewport; saves screenshots of the room view', async () => {
    await openRoom(alice.page, 'general');
    await send(alice.page, 'Release notes for 0.1 are up: https://example.com/hearth/releases/0.1. Shout if anything is unclear!');
    await openRoom(bob.page, 'general');
    await eventually(async () => (await texts(bob.page)).at(-1)).toContain('Release notes');
    await send(bob.page, 'Reading them now, thanks!');
    await eventually(() => alice.page.getByTestId('seen-by').textContent()).toBe('Seen by Bob @bob');
    await alice.page.mouse.move(0, 0);
    const desktop = await screenshot(alice.page, 'room-desktop');
    if (updateReadmeScreenshot) fs.copyFileSync(desktop, README_SCREENSHOT);

    const narrow = await openAs(browser, app.url, { username: 'bob', id: '', token: await tokenOf(bob.context) }, NARROW);
    try {
      const { page } = narrow;
      // Nothing open yet: the room list fills the screen.
      expect(await page.getByRole('navigation', { name: 'Rooms and direct messages' }).isVisible()).toBe(true);
      await page.getByTestId('room-link').filter({ hasText: 'general' }).click();
      await page.getByRole('heading', { level: 2, name: '# general' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Rooms and direct messages' }).isVisible()).toBe(false);
      const composer = page.getByRole('textbox', { name: 'Message # general' });
      const box = await composer.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(NARROW.width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(NARROW.height);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
      await eventually(() => texts(page)).toEqual(await texts(alice.page));
      await screenshot(page, 'room-narrow');

      await send(page, 'sent from my phone');
      await eventually(async () => (await texts(alice.page)).at(-1)).toBe('sent from my phone');
      await page.getByRole('button', { name: 'Show rooms' }).click();
      expect(await page.getByRole('navigation', { name: 'Rooms and direct messages' }).isVisible()).toBe(true);
      expect(narrow.errors).toEqual([]);
    } finally {
      await narrow.context.close();
    }
  });

  it('shows the room panel (members, presence, roles) and the account page (sessions); saves their screenshots', async () => {
    const { page } = alice;
    await openRoom(page, 'general');
    await page.getByRole('button', { name: 'Room details' }).click();
    const panel = page.getByTestId('room-panel');
    await panel.waitFor();
    await eventually(() => panel.getByTestId('member').evaluateAll((items) => items.map((li) => li.getAttribute('data-username')))).toEqual(['alice', 'bob']);
    // Alice made the room: its admin; Bob joined it: a member, both online.
    await eventually(() =>
      panel.locator('[data-testid="member"]:has(.tag)').evaluateAll((items) => items.map((li) => li.getAttribute('data-username'))),
    ).toEqual(['alice']);
    await eventually(() => panel.locator('[data-testid="member"] .sr-only').allTextContents()).toEqual(['online', 'online']);
    await page.mouse.move(0, 0);
    const shot = await screenshot(page, 'room-panel');
    if (updateReadmeScreenshot) fs.copyFileSync(shot, readmeShot('room-panel'));
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    await eventually(() => page.locator('[data-testid="session-row"][data-current="true"]').count()).toBe(1);
    await page.mouse.move(0, 0);
    const account = await screenshot(page, 'account');
    if (updateReadmeScreenshot) fs.copyFileSync(account, readmeShot('account'));
    await page.getByRole('link', { name: '← Back to chat' }).click();
    await page.getByTestId('whoami').waitFor();
  });

  it('reports no page errors', () => {
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});

async function tokenOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'hearth_session');
  if (!cookie) throw new Error('no session cookie');
  return cookie.value;
}
