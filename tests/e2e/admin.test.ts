import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import {
  api,
  bootHearth,
  closeAll,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  openAs,
  openRoom,
  PASSWORD,
  registerAccount,
  texts,
  type Account,
  type RoomRow,
} from '../helpers/browser.ts';

type Session = Awaited<ReturnType<typeof openAs>>;

const rows = (page: Page, kind: 'user' | 'room') => page.getByTestId(`admin-${kind}-row`);
const usernames = (page: Page) => rows(page, 'user').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username')));

describeInBrowser('the admin pages', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let root: Account;
  let bob: Account;
  let carol: Account;
  let admin: Session;
  let bobPage: Session;

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    root = await registerAccount(app.url, 'root', 'Root');
    bob = await registerAccount(app.url, 'bob', 'Bob');
    carol = await registerAccount(app.url, 'carol', 'Carol');
    for (const name of ['lobby', 'old', 'doomed']) {
      await api(app.url, 'rooms.create', { name, kind: 'open', memberIds: [bob.id, carol.id] }, root.token);
    }
    [admin, bobPage] = await Promise.all([openAs(browser, app.url, root), openAs(browser, app.url, bob)]);
    await openRoom(bobPage.page, 'lobby');
    await admin.page.getByRole('link', { name: 'Admin' }).click();
    await admin.page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
  });

  afterAll(async () => {
    await closeAll(admin?.context, bobPage?.context);
    await browser?.close();
    await app?.stop();
  });

  it('lists and searches users and changes their role', async () => {
    const { page } = admin;
    await eventually(() => usernames(page)).toEqual(['root', 'bob', 'carol']);
    await page.getByLabel('Search users').fill('car');
    await eventually(() => usernames(page)).toEqual(['carol']);
    await page.getByLabel('Search users').fill('');
    await eventually(() => usernames(page)).toEqual(['root', 'bob', 'carol']);

    // Role changes ask first (ConfirmDialog).
    await page.getByLabel('Role of carol').selectOption('admin');
    await page.getByRole('dialog').getByRole('button', { name: 'Make admin' }).click();
    await eventually(async () => (await api<{ role: string }>(app.url, 'auth.me', undefined, carol.token)).role).toBe('admin');
    await page.getByLabel('Role of carol').selectOption('member');
    await page.getByRole('dialog').getByRole('button', { name: 'Make member' }).click();
    await eventually(async () => (await api<{ role: string }>(app.url, 'auth.me', undefined, carol.token)).role).toBe('member');
    // The last admin cannot step down: the API's reason is shown.
    await page.getByLabel('Role of root').selectOption('member');
    await page.getByRole('dialog').getByRole('button', { name: 'Make member' }).click();
    await eventually(() => page.getByRole('dialog').locator('[role="alert"]').textContent()).toBe('Hearth needs at least one active admin');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByLabel('Role of root').inputValue()).toBe('admin');
  });

  it('shows live server stats', async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Server' }).click();
    const stat = (key: string) => page.getByTestId(`stat-${key}`).textContent();
    await eventually(() => stat('users')).toBe('3');
    expect(await stat('rooms')).toBe('3');
    // One socket per page; Bob's holds two streams (his own events and #lobby), the admin page none.
    await eventually(() => stat('connections')).toBe('2');
    await eventually(() => stat('subscriptions')).toBe('2');
    const before = Number(await stat('messages-total'));
    const lobby = (await api<RoomRow[]>(app.url, 'rooms.list', undefined, root.token)).find((r) => r.name === 'lobby');
    for (let i = 0; i < 5; i++) await api(app.url, 'messages.send', { roomId: lobby!.id, body: `stat ${i}`, clientMessageId: `stat-${i}` }, root.token);
    // Polled, not reloaded: the figures move by themselves.
    await eventually(() => stat('messages-total')).toBe(String(before + 5));
    // A 10 s average of whole seconds: it moves once the current second is over.
    await eventually(async () => Number(await stat('messages-per-second'))).toBeGreaterThan(0);
    await eventually(() => texts(bobPage.page)).toEqual(['stat 0', 'stat 1', 'stat 2', 'stat 3', 'stat 4']);
  });

  it('archives and deletes rooms; a deleted room leaves the members\u2019 sidebars at once', async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Rooms' }).click();
    await eventually(() => rows(page, 'room').count()).toBe(3);
    await page.getByRole('button', { name: 'Archive old' }).click();
    await eventually(() => rows(page, 'room').filter({ hasText: 'old' }).locator('.tag').textContent()).toBe('archived');
    const listed = await api<RoomRow[]>(app.url, 'admin.rooms.list', undefined, root.token);
    expect(listed.find((r) => r.name === 'old')?.archived).toBe(true);

    expect(await bobPage.page.getByTestId('room-link').filter({ hasText: 'doomed' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Delete doomed' }).click();
    await page.getByRole('dialog', { name: 'Delete this room?' }).getByRole('button', { name: 'Delete for good' }).click();
    await eventually(() => rows(page, 'room').count()).toBe(2);
    expect((await api<RoomRow[]>(app.url, 'admin.rooms.list', undefined, root.token)).map((r) => r.name).sort()).toEqual(['lobby', 'old']);
    await eventually(() => bobPage.page.getByTestId('room-link').filter({ hasText: 'doomed' }).count()).toBe(0);

    // An archived room opens read-only.
    await bobPage.page.reload();
    await openRoom(bobPage.page, 'old');
    expect(await bobPage.page.getByRole('textbox', { name: 'Message # old' }).isDisabled()).toBe(true);
    await openRoom(bobPage.page, 'lobby');
  });

  it('deactivates a user: their open page loses its session and they cannot log back in', async () => {
    const { page } = admin;
    await page.getByRole('tab', { name: 'Users' }).click();
    await eventually(() => rows(page, 'user').filter({ hasText: '@bob' }).getByTestId('user-status').textContent()).toBe('online');
    await page.getByRole('button', { name: 'Deactivate bob' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();

    await eventually(() => bobPage.page.getByTestId('session-notice').textContent()).toBe('Your session has ended. Please log in again.');
    expect(await bobPage.page.getByTestId('whoami').count()).toBe(0);
    await eventually(() => rows(page, 'user').filter({ hasText: '@bob' }).getByTestId('user-status').textContent()).toBe('deactivated');

    await bobPage.page.getByLabel('Username').fill('bob');
    await bobPage.page.getByLabel('Password').fill(PASSWORD);
    await bobPage.page.locator('form').getByRole('button', { name: 'Log in' }).click();
    await eventually(() => bobPage.page.locator('form [role="alert"]').textContent()).toBe('Invalid username or password');

    await page.getByRole('button', { name: 'Reactivate bob' }).click();
    await eventually(() => rows(page, 'user').filter({ hasText: '@bob' }).getByTestId('user-status').textContent()).toBe('offline');
    await bobPage.page.locator('form').getByRole('button', { name: 'Log in' }).click();
    await eventually(() => bobPage.page.getByTestId('whoami').textContent()).toContain('Bob');
  });

  it('keeps members out, and says so', async () => {
    const carolPage = await openAs(browser, app.url, carol);
    try {
      await carolPage.page.goto(`${app.url}/admin`);
      await eventually(() => carolPage.page.getByRole('alert').filter({ hasText: 'Admins only' }).count()).toBe(1);
      expect(await carolPage.page.getByTestId('admin-users').count()).toBe(0);
    } finally {
      await closeAll(carolPage.context);
    }
  });

  it('shows the reason for a locked login', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(app.url);
      const error = page.locator('form [role="alert"]');
      const attempt = async (n: number) => {
        await page.getByLabel('Username').fill('carol');
        await page.getByLabel('Password').fill(`wrong password ${n}`);
        const answered = page.waitForResponse((response) => response.url().includes('auth.login'));
        await page.locator('form').getByRole('button', { name: 'Log in' }).click();
        await answered;
        await eventually(() => error.count()).toBe(1);
        return error.textContent();
      };
      expect(await attempt(1)).toBe('Invalid username or password');
      let message: string | null = null;
      for (let n = 2; n <= 8 && !/^Too many/.test(message ?? ''); n++) message = await attempt(n);
      expect(message).toMatch(/^Too many failed logins for this account; try again later\. Try again in \d+ s\.$/);
      expect(admin.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
