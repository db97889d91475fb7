import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { api, bootHearth, closeAll, DESKTOP, describeInBrowser, eventually, expect, launchChromium, PASSWORD, watchErrors } from '../helpers/browser.ts';
import { TEST_SETUP_TOKEN } from '../helpers/process.ts';

interface Person {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

const NEW_PASSWORD = 'a brand new password';
const sessionEnded = (page: Page) => page.getByTestId('session-notice').textContent();

describeInBrowser('accounts: setup link, invitations, password, sessions, reset links (invite-only server)', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  const opened: BrowserContext[] = [];
  let root: Person;
  let bob: Person;
  let inviteLink = '';

  /** A fresh browser (no session) on `url`. */
  async function visit(url: string): Promise<Person> {
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    opened.push(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(url);
    return { context, page, errors };
  }

  async function fillAccount(page: Page, username: string, displayName: string, password = PASSWORD) {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Display name (optional)').fill(displayName);
    await page.getByLabel('Password').fill(password);
  }

  async function openAdmin(page: Page, tab: string) {
    if ((await page.getByRole('heading', { level: 1, name: 'Admin' }).count()) === 0) {
      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
    }
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('tabpanel', { name: tab }).waitFor();
  }

  beforeAll(async () => {
    // REGISTRATION=invite: the shipped default, here set against the test helpers' open.
    [app, browser] = await Promise.all([bootHearth({ REGISTRATION: 'invite' }), launchChromium()]);
  });

  afterAll(async () => {
    await closeAll(...opened);
    await browser?.close();
    await app?.stop();
  });

  it('a fresh server prints its setup link; without it nobody registers; the link claims the admin once', async () => {
    const link = `${app.url.replace('127.0.0.1', 'localhost')}/#setup=${TEST_SETUP_TOKEN}`;
    await eventually(() => app.hearth.output()).toContain(`Create the admin account by opening this one-time setup link: ${link}`);

    const stranger = await visit(app.url);
    await eventually(() => stranger.page.getByTestId('registration-note').textContent()).toContain("setup link printed in the server's log");
    expect(await stranger.page.getByRole('button', { name: 'Register' }).count()).toBe(0);
    await expectAccessible(stranger.page, 'login page, server not set up');
    await stranger.page.goto(`${app.url}/#setup=not-the-setup-token`);
    await eventually(() => stranger.page.getByTestId('link-problem').textContent()).toContain('This setup link is not valid');

    root = await visit(`${app.url}/#setup=${TEST_SETUP_TOKEN}`);
    await root.page.getByRole('heading', { name: 'Set up Hearth' }).waitFor();
    await expectAccessible(root.page, 'setup form');
    await fillAccount(root.page, 'root', 'Root');
    await root.page.getByRole('button', { name: 'Create admin account' }).click();
    await eventually(() => root.page.getByTestId('whoami').textContent()).toContain('Root');
    expect(await root.page.evaluate(() => window.location.hash)).toBe(''); // the token leaves the address bar
    await root.page.getByRole('link', { name: 'Admin' }).waitFor();

    // The same link again, elsewhere: used.
    await stranger.page.goto(`${app.url}/#setup=${TEST_SETUP_TOKEN}`);
    await stranger.page.reload();
    await eventually(() => stranger.page.getByTestId('link-problem').textContent()).toContain('This setup link has been used');
    await stranger.page.getByRole('button', { name: 'Go to log in' }).click();
    await eventually(() => stranger.page.getByTestId('registration-note').textContent()).toContain('invitation link');
  });

  it('an admin creates an invitation link; it registers Bob; once used up it is refused in plain words', async () => {
    await openAdmin(root.page, 'Invitations');
    await root.page.getByLabel('Uses').fill('1');
    await root.page.getByRole('button', { name: 'Create invitation link' }).click();
    inviteLink = await root.page.getByTestId('new-link').inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${app.url}/#invite=[A-Za-z0-9_-]{43}$`));
    await eventually(() => root.page.getByTestId('invite-row').first().textContent()).toContain('1 of 1');
    await expectAccessible(root.page, 'admin invitations tab');

    bob = await visit(inviteLink);
    await bob.page.getByRole('heading', { name: 'You are invited' }).waitFor();
    await expectAccessible(bob.page, 'invitation form');
    await fillAccount(bob.page, 'bob', 'Bob');
    await bob.page.getByRole('button', { name: 'Create account' }).click();
    await eventually(() => bob.page.getByTestId('whoami').textContent()).toContain('Bob');
    expect(await bob.page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    await root.page.getByRole('tab', { name: 'Users' }).click();
    await root.page.getByRole('tab', { name: 'Invitations' }).click();
    await eventually(() => root.page.getByTestId('invite-row').first().getAttribute('data-state')).toBe('used');
    await eventually(() => root.page.getByTestId('invite-row').first().textContent()).toContain('0 of 1');

    const late = await visit(inviteLink);
    await eventually(() => late.page.getByTestId('link-problem').textContent()).toBe('This invitation link has been used up: ask an admin for a new one');
  });

  it('Bob renames himself and changes his password on the Account page: his other browser is logged out, this one stays', async () => {
    const { token } = await api<{ token: string }>(app.url, 'auth.login', { username: 'bob', password: PASSWORD });
    const laptop = await visit(app.url);
    await laptop.context.addCookies([{ name: 'hearth_session', value: token, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    await laptop.page.reload();
    await laptop.page.getByTestId('whoami').waitFor();

    await bob.page.getByRole('link', { name: 'Account' }).click();
    await bob.page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    await eventually(() => bob.page.getByTestId('session-row').count()).toBe(2);
    expect(await bob.page.locator('[data-testid="session-row"][data-current="true"]').textContent()).toContain('this device');
    await expectAccessible(bob.page, 'account page');

    await bob.page.getByRole('textbox', { name: 'Display name' }).fill('Bobby Tables');
    await bob.page.getByRole('button', { name: 'Save name' }).click();
    await bob.page.getByRole('link', { name: '← Back to chat' }).click();
    await eventually(() => bob.page.getByTestId('whoami').textContent()).toContain('Bobby Tables');
    // His other browser hears it too (events.user account.changed), on the same socket.
    await eventually(() => laptop.page.getByTestId('whoami').textContent()).toContain('Bobby Tables');
    await eventually(async () => (await api<Array<{ displayName: string }>>(app.url, 'users.search', { query: 'bob' }, token))[0]?.displayName).toBe(
      'Bobby Tables',
    );

    await bob.page.getByRole('link', { name: 'Account' }).click();
    await bob.page.getByLabel('Current password').fill('not my password');
    await bob.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await bob.page.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => bob.page.locator('main [role="alert"]').textContent()).toBe('The current password is not right');
    await bob.page.getByLabel('Current password').fill(PASSWORD);
    await bob.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await bob.page.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => bob.page.getByRole('status').filter({ hasText: 'Password changed' }).textContent()).toContain('1 other session was logged out');
    await eventually(() => sessionEnded(laptop.page)).toBe('Your session has ended. Please log in again.');
    await eventually(() => bob.page.getByTestId('session-row').count()).toBe(1);
    expect(bob.errors).toEqual([]);
  });

  it('the sessions list logs out one session, then everywhere else, then everywhere (after a confirmation)', async () => {
    const phone = await visit(app.url);
    const tablet = await visit(app.url);
    for (const device of [phone, tablet]) {
      await device.page.getByLabel('Username').fill('bob');
      await device.page.getByLabel('Password').fill(NEW_PASSWORD);
      await device.page.locator('form').getByRole('button', { name: 'Log in' }).click();
      await device.page.getByTestId('whoami').waitFor();
    }
    await bob.page.reload();
    await eventually(() => bob.page.getByTestId('session-row').count()).toBe(3);
    // The newest other session first: the tablet's.
    await bob.page
      .locator('[data-testid="session-row"][data-current="false"]')
      .first()
      .getByRole('button', { name: /^Log out/ })
      .click();
    await eventually(() => sessionEnded(tablet.page)).toBe('Your session has ended. Please log in again.');
    await eventually(() => bob.page.getByTestId('session-row').count()).toBe(2);
    expect(await phone.page.getByTestId('whoami').count()).toBe(1);

    await bob.page.getByRole('button', { name: 'Log out everywhere else' }).click();
    await eventually(() => sessionEnded(phone.page)).toBe('Your session has ended. Please log in again.');
    await eventually(() => bob.page.getByTestId('session-row').count()).toBe(1);

    await bob.page.getByRole('button', { name: 'Log out everywhere', exact: true }).click();
    const dialog = bob.page.getByRole('dialog', { name: 'Log out everywhere?' });
    await dialog.waitFor();
    await expectAccessible(bob.page, 'log out everywhere confirmation');
    await bob.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await bob.page.getByTestId('session-row').count()).toBe(1);
    await bob.page.getByRole('button', { name: 'Log out everywhere', exact: true }).click();
    await dialog.getByRole('button', { name: 'Log out everywhere' }).click();
    await eventually(() => sessionEnded(bob.page)).toBe('Your session has ended. Please log in again.');
  });

  it('an admin hands Bob a password-reset link: it sets his new password once and logs out his sessions', async () => {
    await bob.page.getByLabel('Username').fill('bob');
    await bob.page.getByLabel('Password').fill(NEW_PASSWORD);
    await bob.page.locator('form').getByRole('button', { name: 'Log in' }).click();
    await bob.page.getByRole('heading', { level: 1, name: 'Account' }).waitFor(); // back where the session ended

    await openAdmin(root.page, 'Users');
    await root.page.getByRole('button', { name: 'Password-reset link for bob' }).click();
    const dialog = root.page.getByRole('dialog', { name: 'Password-reset link for @bob' });
    const link = await dialog.getByTestId('new-link').inputValue();
    expect(link).toMatch(new RegExp(`^${app.url}/#reset=[A-Za-z0-9_-]{43}$`));
    await expectAccessible(root.page, 'reset link dialog');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const forgetful = await visit(link);
    await forgetful.page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await forgetful.page.locator('form').textContent()).toContain('@bob');
    await expectAccessible(forgetful.page, 'reset password form');
    await forgetful.page.getByLabel('New password', { exact: true }).fill('bobs third password');
    await forgetful.page.getByRole('button', { name: 'Set password and log in' }).click();
    await eventually(() => forgetful.page.getByTestId('whoami').textContent()).toContain('Bobby Tables');
    await eventually(() => sessionEnded(bob.page)).toBe('Your session has ended. Please log in again.');

    const again = await visit(link);
    await eventually(() => again.page.getByTestId('link-problem').textContent()).toContain('not valid any more');
  });

  it('an admin creates Carol with a set-password link; deactivation and role changes ask first, Cancel changes nothing, and the new role reaches her open page live', async () => {
    await openAdmin(root.page, 'Users');
    await root.page.getByRole('button', { name: 'Create account' }).click();
    const create = root.page.getByRole('dialog', { name: 'Create account' });
    await create.getByLabel('Username').fill('carol');
    await create.getByLabel('Display name (optional)').fill('Carol');
    await expectAccessible(root.page, 'create account dialog');
    await create.getByRole('button', { name: 'Create account' }).click();
    const made = root.page.getByRole('dialog', { name: 'Account @carol created' });
    const link = await made.getByTestId('new-link').inputValue();
    await made.getByRole('button', { name: 'Done' }).click();

    const carol = await visit(link);
    await carol.page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await carol.page.getByLabel('New password', { exact: true }).fill('carols own password');
    await carol.page.getByRole('button', { name: 'Set password and log in' }).click();
    await eventually(() => carol.page.getByTestId('whoami').textContent()).toContain('Carol');

    const row = root.page.locator('[data-testid="admin-user-row"][data-username="carol"]');
    await row.getByLabel('Role of carol').selectOption('admin');
    const roleDialog = root.page.getByRole('dialog', { name: 'Make @carol an admin?' });
    await roleDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.getByLabel('Role of carol').inputValue()).toBe('member');
    await row.getByLabel('Role of carol').selectOption('admin');
    await roleDialog.getByRole('button', { name: 'Make admin' }).click();
    await roleDialog.waitFor({ state: 'hidden' });
    // Live, on the page Carol has open: no reload.
    await eventually(() => carol.page.getByRole('link', { name: 'Admin' }).count()).toBe(1);

    await row.getByRole('button', { name: 'Deactivate carol' }).click();
    const deactivate = root.page.getByRole('dialog', { name: 'Deactivate @carol?' });
    await expectAccessible(root.page, 'deactivate confirmation');
    await root.page.keyboard.press('Escape');
    await deactivate.waitFor({ state: 'hidden' });
    expect(await row.getByTestId('user-status').textContent()).not.toBe('deactivated');
    await row.getByRole('button', { name: 'Deactivate carol' }).click();
    await deactivate.getByRole('button', { name: 'Deactivate' }).click();
    await eventually(() => row.getByTestId('user-status').textContent()).toBe('deactivated');
    await eventually(() => sessionEnded(carol.page)).toBe('Your session has ended. Please log in again.');
    expect(root.errors).toEqual([]);
  });
});
