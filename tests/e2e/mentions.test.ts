import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
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
  openAs,
  openRoom,
  registerAccount,
  screenshot,
  send,
  texts,
} from '../helpers/browser.ts';

type Session = Awaited<ReturnType<typeof openAs>>;

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message # ops' });
const combobox = (page: Page) => page.getByRole('combobox', { name: 'Message # ops' });
const options = (page: Page) => page.getByTestId('mention-option');
const note = (page: Page) => page.getByTestId('mention-note');
const opsLink = (page: Page) => page.getByTestId('room-link').filter({ hasText: 'ops' });
const lastMessage = (page: Page) => page.getByTestId('message').last();
/** The mention chips of a message, and whether each is the strong kind (me or @room). */
const chips = (message: ReturnType<Page['locator']>) =>
  message.getByTestId('mention').evaluateAll((spans) => spans.map((s) => `${s.textContent}${s.classList.contains('mention-me') ? '!' : ''}`));
const expanded = (page: Page) => combobox(page).getAttribute('aria-expanded');
const focused = (page: Page) => composer(page).evaluate((el) => el === document.activeElement);
const activeOption = (page: Page) =>
  page.evaluate(() => {
    const id = document.activeElement?.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.textContent ?? null) : null;
  });

describeInBrowser('mentions in the web app', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let a: Session;
  let b: Session;
  let b2: Session | undefined;
  let roomId: string;

  beforeAll(async () => {
    // Above 2 members only room admins (and Hearth admins) may say @room: ops has 3.
    [app, browser] = await Promise.all([bootHearth({ ROOM_MENTION_ADMIN_ONLY_ABOVE: '2' }), launchChromium()]);
    alice = await registerAccount(app.url, 'alice', 'Alice'); // the Hearth admin, and ops's room admin
    bob = await registerAccount(app.url, 'bob', 'Bob');
    carol = await registerAccount(app.url, 'carol', 'Carol');
    await registerAccount(app.url, 'zed', 'Zed'); // on the server, not in ops
    roomId = (await api<{ id: string }>(app.url, 'rooms.create', { name: 'ops', kind: 'closed', memberIds: [bob.id, carol.id] }, alice.token)).id;
    await api(app.url, 'rooms.create', { name: 'lobby', kind: 'closed', memberIds: [bob.id] }, alice.token);
    [a, b] = await Promise.all([openAs(browser, app.url, alice), openAs(browser, app.url, bob)]);
    await openRoom(a.page, 'ops');
    await openRoom(b.page, 'lobby');
  });

  afterAll(async () => {
    await closeAll(a?.context, b?.context, b2?.context);
    await browser?.close();
    await app?.stop();
  });

  it('completes @name with the keyboard and sends it; the other sees the @1 badge live, the highlight, and the badge clears once read', async () => {
    const field = composer(a.page);
    await field.click();
    await field.pressSequentially('Hi @');
    await eventually(() => expanded(a.page)).toBe('true');
    // Everyone but me, by username, then @room (alice is an admin).
    await eventually(() => options(a.page).allTextContents()).toEqual(['Bob @bob', 'Carol @carol', '@room notify everyone in this room']);
    await expectAccessible(a.page, 'composer with the @ list open');
    await screenshot(a.page, 'mentions-autocomplete');
    await field.pressSequentially('c');
    await eventually(() => options(a.page).allTextContents()).toEqual(['Carol @carol']);
    await field.press('Backspace');
    await field.pressSequentially('b');
    await eventually(() => options(a.page).allTextContents()).toEqual(['Bob @bob']);
    expect(await activeOption(a.page)).toBe('Bob @bob');
    // Enter picks, it does not send.
    await field.press('Enter');
    await eventually(() => expanded(a.page)).toBe('false');
    expect(await field.inputValue()).toBe('Hi @bob ');
    await field.pressSequentially('the deploy is done');
    await field.press('Enter');
    await eventually(() => texts(a.page)).toEqual(['Hi @bob the deploy is done']);
    await eventually(() => chips(lastMessage(a.page))).toEqual(['@bob']);
    expect(await lastMessage(a.page).getAttribute('data-mentions-me')).toBe('false');

    // Bob is in another room (lobby): his sidebar counts it, live.
    const badge = opsLink(b.page).getByTestId('mention-badge');
    await eventually(() => badge.textContent()).toBe('@1');
    expect(await badge.getAttribute('aria-label')).toBe('1 mention');
    expect(await opsLink(b.page).getByTestId('unread-badge').getAttribute('aria-label')).toBe('1 unread');
    await openRoom(b.page, 'ops');
    await eventually(() => texts(b.page)).toEqual(['Hi @bob the deploy is done']);
    expect(await lastMessage(b.page).getAttribute('data-mentions-me')).toBe('true');
    expect(await chips(lastMessage(b.page))).toEqual(['@bob!']);
    await screenshot(b.page, 'mentions-highlight');
    // Read now: back in lobby, the count stays at 0, the server's too.
    await openRoom(b.page, 'lobby');
    await eventually(
      async () => (await api<Array<{ id: string; mentions: number }>>(app.url, 'rooms.list', undefined, bob.token)).find((r) => r.id === roomId)?.mentions,
    ).toBe(0);
    expect(await opsLink(b.page).getByTestId('mention-badge').count()).toBe(0);
    expect(await opsLink(b.page).getByTestId('unread-badge').count()).toBe(0);
  });

  it('moves with the arrows, picks with Tab or a click, and Escape closes the list keeping the draft', async () => {
    const field = composer(a.page);
    await field.fill('');
    await field.pressSequentially('@');
    await eventually(() => options(a.page).count()).toBe(3);
    await field.press('ArrowDown');
    expect(await activeOption(a.page)).toBe('Carol @carol');
    await field.press('ArrowUp');
    await field.press('ArrowUp'); // wraps around to the last row
    expect(await activeOption(a.page)).toBe('@room notify everyone in this room');
    await field.press('ArrowDown');
    await field.press('Tab');
    expect(await field.inputValue()).toBe('@bob ');
    expect(await focused(a.page)).toBe(true);

    await field.pressSequentially('and @ca');
    await eventually(() => options(a.page).allTextContents()).toEqual(['Carol @carol']);
    await field.press('Escape');
    await eventually(() => expanded(a.page)).toBe('false');
    expect(await field.inputValue()).toBe('@bob and @ca');
    // Closed for that @; a new one opens the list again.
    for (let i = 0; i < 3; i++) await field.press('Backspace');
    await field.pressSequentially('@c');
    await options(a.page).filter({ hasText: 'Carol @carol' }).click();
    expect(await field.inputValue()).toBe('@bob and @carol ');
    expect(await focused(a.page)).toBe(true);
    await field.fill('');
  });

  it('says in words which @names reach nobody here, and only real mentions are highlighted', async () => {
    const field = composer(a.page);
    await field.fill('thanks @zed');
    // Not while the name is being typed (the live region would speak every keystroke).
    expect(await note(a.page).textContent()).toBe('');
    await field.pressSequentially(' and @bob, mail carol@example.com');
    await eventually(() => note(a.page).textContent()).toBe('@zed is not in this room and will not be notified');
    await screenshot(a.page, 'mentions-note');
    expect(await note(a.page).getAttribute('aria-live')).toBe('polite');
    await field.press('Enter');
    await eventually(() => note(a.page).textContent()).toBe('');
    await eventually(() => texts(a.page)).toContain('thanks @zed and @bob, mail carol@example.com');
    await eventually(() => chips(lastMessage(a.page))).toEqual(['@bob']);
    // The chip is text: no markup in it.
    expect(
      await lastMessage(a.page)
        .getByTestId('mention')
        .evaluate((el) => el.children.length),
    ).toBe(0);
  });

  it('does not offer @room to a member of a room above the limit, says why, and shows the server refusing it', async () => {
    await openRoom(b.page, 'ops');
    const field = composer(b.page);
    await field.click();
    await field.pressSequentially('@');
    await eventually(() => options(b.page).allTextContents()).toEqual(['Alice @alice', 'Carol @carol']);
    await field.press('Escape');
    await field.fill('@room the build is red');
    await eventually(() => note(b.page).textContent()).toBe('Only room admins can mention @room in a room of more than 2 members');
    await send(b.page, '@room the build is red');
    const failed = b.page.locator('[data-testid="message"][data-status="failed"]');
    await eventually(() => failed.getByRole('alert').textContent()).toMatch(
      /^Not sent: Only room admins can mention @room in a room of more than 2 members \(this one has 3\)/,
    );
    await failed.getByRole('button', { name: 'Discard' }).click();
    await eventually(() => failed.count()).toBe(0);
  });

  it('sets "Notify me" in the room panel, shows the default, reaches my other page live and persists across a reload', async () => {
    const other = await openAs(browser, app.url, bob);
    b2 = other;
    await openRoom(other.page, 'ops');
    for (const page of [b.page, other.page]) {
      await page.getByRole('button', { name: 'Room details' }).click();
      await page.getByTestId('notify-level').waitFor();
    }
    const group = (page: Page) => page.getByRole('group', { name: 'Notify me' });
    const checked = (page: Page, name: string) => group(page).getByRole('radio', { name, exact: true }).isChecked();
    await eventually(() => checked(b.page, 'Mentions only (default)')).toBe(true);
    await expectAccessible(b.page, 'room panel with Notify me');
    await screenshot(b.page, 'mentions-notify-level');
    await group(b.page).getByRole('radio', { name: 'All messages' }).check();
    await eventually(() => checked(other.page, 'All messages')).toBe(true);
    const level = async () =>
      (await api<Array<{ id: string; notify: string }>>(app.url, 'rooms.list', undefined, bob.token)).find((r) => r.id === roomId)?.notify;
    await eventually(level).toBe('all');
    await b.page.reload();
    await b.page.getByTestId('whoami').waitFor();
    await openRoom(b.page, 'ops');
    await b.page.getByRole('button', { name: 'Room details' }).click();
    await eventually(() => checked(b.page, 'All messages')).toBe(true);
    await group(b.page).getByRole('radio', { name: 'Nothing' }).check();
    await eventually(level).toBe('nothing');
    await eventually(() => checked(other.page, 'Nothing')).toBe(true);
    expect([...a.errors, ...b.errors, ...other.errors]).toEqual([]);
  });
});
