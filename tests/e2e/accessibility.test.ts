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

  it('the dialogs: new room, browse rooms, new direct message', async () => {
    const { page } = a;
    for (const [opener, title] of [
      [page.getByRole('button', { name: 'New room' }), 'Create a room'],
      [page.getByRole('button', { name: 'Browse rooms' }), 'Browse rooms'],
      [page.getByRole('button', { name: 'New direct message' }), 'New direct message'],
    ] as const) {
      await opener.click();
      const dialog = page.getByRole('dialog', { name: title });
      await dialog.waitFor();
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
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
