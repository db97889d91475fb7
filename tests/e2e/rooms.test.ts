import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
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
  send,
  texts,
} from '../helpers/browser.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { spawnHearth, type HearthProcess } from '../helpers/process.ts';

type Session = Awaited<ReturnType<typeof openAs>>;

const systemRows = (page: Page) => page.getByTestId('system-item');
const systemTexts = (page: Page) => systemRows(page).allTextContents();
const panel = (page: Page) => page.getByTestId('room-panel');
const focused = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => el === document.activeElement);
const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / });

async function openPanel(page: Page) {
  await page.getByRole('button', { name: 'Room details' }).click();
  await panel(page).waitFor();
}

/** Confirms the open ConfirmDialog with its named button. */
async function confirm(page: Page, button: string) {
  await page.getByRole('dialog').getByRole('button', { name: button }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describeInBrowser('the room panel, with three people', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let a: Session;
  let b: Session;
  let c: Session;

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    alice = await registerAccount(app.url, 'alice', 'Alice');
    bob = await registerAccount(app.url, 'bob', 'Bob');
    carol = await registerAccount(app.url, 'carol', 'Carol');
    await api(app.url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [bob.id] }, alice.token);
    [a, b, c] = await Promise.all([openAs(browser, app.url, alice), openAs(browser, app.url, bob), openAs(browser, app.url, carol)]);
    await Promise.all([openRoom(a.page, 'ops'), openRoom(b.page, 'ops')]);
  });

  afterAll(async () => {
    await closeAll(a?.context, b?.context, c?.context);
    await browser?.close();
    await app?.stop();
  });

  it('adds a person found by search: they see the room live, and "Alice added Carol" shows for everyone', async () => {
    await eventually(() => systemTexts(a.page)).toEqual(['Alice @alice joined', 'Alice @alice added Bob @bob']);
    await openPanel(a.page);
    await eventually(() => panel(a.page).getByTestId('member').count()).toBe(2);
    await expectAccessible(a.page, 'room view with the room panel and system rows');
    await panel(a.page).getByRole('searchbox', { name: 'Add people' }).fill('o');
    // Members are not offered: bob matches "o" too.
    await panel(a.page).getByRole('button', { name: 'Add Carol @carol' }).waitFor();
    await eventually(() => panel(a.page).getByRole('button', { name: 'Add Bob @bob' }).count()).toBe(0);
    await panel(a.page).getByRole('button', { name: 'Add Carol @carol' }).click();
    await eventually(() => panel(a.page).getByTestId('member').count()).toBe(3);
    await eventually(() => systemTexts(a.page)).toContain('Alice @alice added Carol @carol');
    await eventually(() => systemTexts(b.page)).toContain('Alice @alice added Carol @carol');
    await eventually(() => b.page.getByTestId('member-count').textContent()).toContain('3 members');
    // Carol's page had no rooms: ops appears without a reload, and its timeline says how she got there.
    await c.page.getByTestId('room-link').filter({ hasText: 'ops' }).waitFor();
    await openRoom(c.page, 'ops');
    await eventually(() => systemTexts(c.page)).toContain('Alice @alice added Carol @carol');
  });

  it('renames the room and sets its topic: the other pages follow live, and the rows survive a reload', async () => {
    await panel(a.page).getByRole('textbox', { name: 'Room name' }).fill('ops-team');
    await panel(a.page).getByRole('button', { name: 'Rename' }).click();
    await panel(a.page).getByRole('textbox', { name: 'Topic' }).fill('Deploys at noon');
    await panel(a.page).getByRole('button', { name: 'Set topic' }).click();
    await b.page.getByRole('heading', { level: 2, name: '# ops-team' }).waitFor();
    await eventually(() => b.page.getByTestId('room-topic').textContent()).toBe('Deploys at noon');
    await eventually(() => b.page.getByTestId('room-link').filter({ hasText: 'ops-team' }).count()).toBe(1);
    await eventually(() => systemTexts(b.page)).toEqual([
      'Alice @alice joined',
      'Alice @alice added Bob @bob',
      'Alice @alice added Carol @carol',
      'Alice @alice renamed the room to #ops-team',
      'Alice @alice set the topic: Deploys at noon',
    ]);
    await b.page.reload();
    await b.page.getByRole('heading', { level: 2, name: '# ops-team' }).waitFor();
    await eventually(() => systemTexts(b.page)).toHaveLength(5);
  });

  it('makes Bob a room admin: his open panel gains the admin controls live', async () => {
    await openPanel(b.page);
    await eventually(() => panel(b.page).getByRole('button', { name: 'Rename' }).count()).toBe(0);
    await panel(a.page).getByRole('button', { name: 'Make admin: Bob @bob' }).click();
    await expectAccessible(a.page, 'role change confirmation');
    await confirm(a.page, 'Make admin');
    await panel(b.page).getByRole('button', { name: 'Rename' }).waitFor();
    await eventually(() => systemTexts(b.page)).toContain('Alice @alice made Bob @bob a room admin');
    await eventually(() => panel(b.page).locator('[data-username="bob"] .tag').textContent()).toBe('admin');
  });

  it('archives the room: the others’ composers are disabled live, and enabled again on unarchive', async () => {
    await eventually(() => composer(c.page).isEnabled()).toBe(true);
    await panel(a.page).getByRole('button', { name: 'Archive room' }).click();
    await confirm(a.page, 'Archive');
    await eventually(() => composer(c.page).isDisabled()).toBe(true);
    await eventually(() => composer(b.page).isDisabled()).toBe(true);
    await eventually(() => systemTexts(c.page)).toContain('Alice @alice archived the room');
    await panel(a.page).getByRole('button', { name: 'Unarchive room' }).click();
    await confirm(a.page, 'Unarchive');
    await eventually(() => composer(c.page).isEnabled()).toBe(true);
    await send(c.page, 'back again');
    await eventually(() => texts(a.page)).toEqual(['back again']);
  });

  it('lets a room admin remove someone (after confirming): the room leaves their page', async () => {
    await panel(b.page).getByRole('button', { name: 'Remove Carol @carol' }).click();
    await confirm(b.page, 'Remove');
    await eventually(() => c.page.getByTestId('room-link').filter({ hasText: 'ops-team' }).count()).toBe(0);
    await eventually(() => systemTexts(a.page)).toContain('Bob @bob removed Carol @carol');
    await eventually(() => panel(a.page).getByTestId('member').count()).toBe(2);
  });

  it('leaves, by keyboard alone: the panel opens, the dialog traps focus, Escape cancels, then Bob leaves', async () => {
    const page = b.page;
    await page.getByRole('button', { name: 'Close room details' }).press('Enter');
    await eventually(() => panel(page).count()).toBe(0);
    // Closing gives focus back to the toggle; Enter opens the panel with focus on its close button.
    await eventually(() => focused(page.getByRole('button', { name: 'Room details' }))).toBe(true);
    await page.keyboard.press('Enter');
    await eventually(() => focused(page.getByRole('button', { name: 'Close room details' }))).toBe(true);
    // Tab to the topic field, type, Enter submits.
    const topic = panel(page).getByRole('textbox', { name: 'Topic' });
    for (let i = 0; i < 10 && !(await focused(topic)); i++) await page.keyboard.press('Tab');
    await eventually(() => focused(topic)).toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Typed by keyboard');
    await page.keyboard.press('Enter');
    await eventually(() => a.page.getByTestId('room-topic').textContent()).toBe('Typed by keyboard');
    const leave = panel(page).getByRole('button', { name: 'Leave room' });
    await leave.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Leave this room?' });
    await eventually(() => focused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await page.keyboard.press('Escape');
    await eventually(() => dialog.count()).toBe(0);
    await leave.focus();
    await page.keyboard.press('Enter');
    await eventually(() => focused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await page.keyboard.press('Tab');
    await eventually(() => focused(dialog.getByRole('button', { name: 'Leave room' }))).toBe(true);
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('room-link').filter({ hasText: 'ops-team' }).count()).toBe(0);
    await eventually(() => systemTexts(a.page)).toContain('Bob @bob left');
    // Reloaded, the page still names the people who are gone.
    await a.page.reload();
    await a.page.getByRole('heading', { level: 2, name: '# ops-team' }).waitFor();
    await eventually(() => systemTexts(a.page)).toContain('Bob @bob left');
    expect(await systemTexts(a.page)).toContain('Bob @bob removed Carol @carol');
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([]);
  });

  it('fills a narrow screen with the panel, which closes back to the room', async () => {
    const narrow = await openAs(browser, app.url, alice, NARROW);
    try {
      await openRoom(narrow.page, 'ops-team');
      await openPanel(narrow.page);
      const box = await narrow.page.locator('.room-panel-wrap').boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: NARROW.width, height: NARROW.height });
      await expectAccessible(narrow.page, 'room panel on a narrow screen');
      await narrow.page.keyboard.press('Escape');
      await eventually(() => panel(narrow.page).count()).toBe(0);
      await narrow.page.getByRole('heading', { level: 2, name: '# ops-team' }).waitFor();
      expect(narrow.errors).toEqual([]);
    } finally {
      await closeAll(narrow.context);
    }
  });
});

describeInBrowser('a room opened while the server was unreachable', () => {
  let dir: string;
  let server: HearthProcess;
  let env: Record<string, string>;
  let browser: Browser;
  let b: Session | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
    env = { DATABASE_URL: `file:${path.join(dir, 'hearth.db')}`, WS_CONNECTS_PER_MINUTE_PER_IP: '100000', MAX_CONNECTIONS_PER_USER: '100' };
    [server, browser] = await Promise.all([spawnHearth(env), launchChromium()]);
  });

  afterAll(async () => {
    await closeAll(b?.context);
    await browser?.close();
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads its members and details once the connection is back: no "0 members", nobody a "Former member"', async () => {
    const alice = await registerAccount(server.url, 'alice', 'Alice');
    const bob = await registerAccount(server.url, 'bob', 'Bob');
    const design = await api<{ id: string }>(server.url, 'rooms.create', { name: 'design', kind: 'closed', memberIds: [bob.id] }, alice.token);
    await api(server.url, 'rooms.setTopic', { roomId: design.id, topic: 'Pixels' }, alice.token);
    await api(server.url, 'messages.send', { roomId: design.id, body: 'from alice', clientMessageId: 'd1' }, alice.token);
    await api(server.url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [bob.id] }, alice.token);
    b = await openAs(browser, server.url, bob);
    await openRoom(b.page, 'ops');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await eventually(() => b!.page.getByTestId('connection-banner').getAttribute('data-status')).toBe('reconnecting');
    // Opened while the server is away: its members query gives up (three network errors).
    await b.page.getByTestId('room-link').filter({ hasText: 'design' }).click();
    await eventually(() => b!.page.getByTestId('member-count').getAttribute('data-state'), 30_000).toBe('failed');
    expect(await b.page.getByTestId('member-count').textContent()).not.toContain('0 members');

    server = await spawnHearth({ ...env, PORT: new URL(server.url).port });
    // The socket's reconnect backs off up to 30 s while the server is away.
    await eventually(() => b!.page.getByTestId('connection-banner').count(), 60_000).toBe(0);
    await eventually(() => b!.page.getByTestId('member-count').textContent()).toContain('2 members');
    await eventually(() => texts(b!.page), 20_000).toEqual(['from alice']);
    const shown = await b.page.getByTestId('message').first().textContent();
    expect(shown).toContain('Alice');
    expect(shown).not.toContain('Former member');
    await eventually(() => b!.page.getByTestId('room-topic').textContent()).toBe('Pixels');
    expect(await systemTexts(b.page)).toEqual(['Alice @alice joined', 'Alice @alice added Bob @bob', 'Alice @alice set the topic: Pixels']);
    expect(b.errors).toEqual([]);
  }, 180_000);
});
