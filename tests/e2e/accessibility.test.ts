import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { axeFindings } from '../helpers/axe.ts';
import {
  aliceAndBobInARoom,
  bootHearth,
  closeAll,
  describeInBrowser,
  expect,
  launchChromium,
  NARROW,
  openAs,
  registerAccount,
  send,
} from '../helpers/browser.ts';

type Session = Awaited<ReturnType<typeof openAs>>;

/** What has the keyboard focus: its role-ish tag and accessible name, as a person tabbing would hear it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.innerText ?? el.innerText ?? '';
    return `${el.tagName.toLowerCase()}:${label.trim().replace(/\s+/g, ' ')}`;
  });

/** Presses Tab until the focus is on a control whose "tag:name" matches, failing after 60 presses (it is not reachable). */
async function tabTo(page: Page, target: RegExp): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (target.test(now)) return;
    seen.push(now);
  }
  throw new Error(`Tab never reached ${target}; focus went through: ${seen.join(' | ')}`);
}

/** The serious and critical violations axe finds, light and dark, as "rule on element" lines (empty is the pass). */
const violations = async (page: Page) => (await axeFindings(page)).map((f) => `[${f.scheme}] ${f.id}: ${f.targets.join(', ')}`);

describeInBrowser('accessibility (axe-core, light and dark themes)', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let a: Session;
  let b: Session;

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    ({ a, b } = await aliceAndBobInARoom(browser, app.url));
  });

  afterAll(async () => {
    await closeAll(a?.context, b?.context);
    await browser?.close();
    await app?.stop();
  });

  it('the login and register screens', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByRole('button', { name: 'Log in' }).first().waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Register' }).first().click();
      await page.getByLabel('Display name').waitFor();
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the room view with messages, on desktop and narrow screens', async () => {
    await send(a.page, 'Hello Bob, have a look at https://example.com');
    await b.page.getByText('have a look').waitFor();
    await send(b.page, 'On it');
    await a.page.getByText('On it').waitFor();
    expect(await violations(a.page)).toEqual([]);
    expect(await violations(b.page)).toEqual([]);
    const narrow = await openAs(browser, app.url, await registerAccount(app.url, 'nina', 'Nina'), NARROW);
    try {
      expect(await violations(narrow.page)).toEqual([]);
    } finally {
      await narrow.context.close();
    }
  });

  it('the dialogs: new room, browse rooms, new direct message, notifications (each opens on its first field)', async () => {
    const { page } = a;
    for (const [opener, title, field] of [
      [page.getByRole('button', { name: 'New room' }), 'Create a room', /^input:Room name/],
      [page.getByRole('button', { name: 'Browse rooms' }), 'Browse rooms', /^button:Close$/],
      [page.getByRole('button', { name: 'New direct message' }), 'New direct message', /^input:/],
      [page.getByRole('button', { name: /^Notifications, / }), 'Notifications', /^button:Close$/],
    ] as const) {
      await opener.click();
      const dialog = page.getByRole('dialog', { name: title });
      await dialog.waitFor();
      expect(await focused(page)).toMatch(field);
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
  });

  it('works with the keyboard alone: register, create a room, send, browse and back', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByRole('button', { name: 'Log in' }).first().waitFor();
      await tabTo(page, /^button:Register$/);
      await page.keyboard.press('Space');
      await tabTo(page, /^input:Username/);
      await page.keyboard.type('kim');
      await tabTo(page, /^input:Display name/);
      await page.keyboard.type('Kim');
      await tabTo(page, /^input:Password/);
      await page.keyboard.type('correct horse battery');
      await page.keyboard.press('Enter');
      await page.getByTestId('whoami').waitFor();

      await tabTo(page, /^button:New room$/);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Create a room' });
      await dialog.waitFor();
      expect(await focused(page)).toMatch(/^input:Room name/);
      await page.keyboard.type('by-keys');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('heading', { level: 2, name: /by-keys/ }).waitFor();

      await tabTo(page, /^textarea:Message # by-keys/);
      await page.keyboard.type('typed, not clicked');
      await page.keyboard.press('Enter');
      await page.getByTestId('message-body').filter({ hasText: 'typed, not clicked' }).waitFor();

      await page.keyboard.press('Shift+Tab');
      await tabTo(page, /^button:Browse rooms$/);
      await page.keyboard.press('Enter');
      const browse = page.getByRole('dialog', { name: 'Browse rooms' });
      await browse.waitFor();
      await page.keyboard.press('Escape');
      await browse.waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('button:Browse rooms');
    } finally {
      await context.close();
    }
  });

  it('the admin pages: users, rooms, server', async () => {
    const { page } = a;
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
    for (const tab of ['Users', 'Rooms', 'Server']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('tabpanel', { name: tab }).waitFor();
      await page.getByRole('tabpanel', { name: tab }).locator('table, dl, ul').first().waitFor();
      expect(await violations(page)).toEqual([]);
    }
  });
});
