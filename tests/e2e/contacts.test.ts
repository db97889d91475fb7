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
  openAs,
  openRoom,
  registerAccount,
  send,
  shownMessages,
  texts,
} from '../helpers/browser.ts';
import { expectAccessible } from '../helpers/axe.ts';

type Session = Awaited<ReturnType<typeof openAs>>;

const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / });
const panel = (page: Page) => page.getByTestId('room-panel');
const roomLinks = (page: Page) => page.getByTestId('room-link').evaluateAll((links) => links.map((l) => l.getAttribute('data-room-name')));
const contactsIn = (page: Page, list: string) =>
  page
    .getByTestId(list)
    .getByTestId('contact')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-username')));

async function toAccount(page: Page) {
  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 2, name: 'Contacts' }).waitFor();
}

async function openPeoplePanel(page: Page) {
  await page.getByRole('button', { name: 'People', exact: true }).click();
  await panel(page).waitFor();
}

/** Confirms the open ConfirmDialog (its title checked) with its named button. */
async function confirm(page: Page, title: string, button: string) {
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'detached' });
}

describeInBrowser('contact requests, blocking and delete for me, between strangers', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let ann: Account;
  let bob: Account;
  let a: Session;
  let b: Session;
  let a2: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    // The first account is the Hearth admin, whom the reach rule lets through: Ann and Bob are not.
    await registerAccount(app.url, 'root', 'Root');
    ann = await registerAccount(app.url, 'ann', 'Ann');
    bob = await registerAccount(app.url, 'bob', 'Bob');
    await registerAccount(app.url, 'carol', 'Carol');
    [a, b] = await Promise.all([openAs(browser, app.url, ann), openAs(browser, app.url, bob)]);
  });

  afterAll(async () => {
    await closeAll(a?.context, b?.context);
    await browser?.close();
    await app?.stop();
  });

  it('the DM dialog offers a request; Bob sees it live under Account → Contacts and accepts; then the DM works', async () => {
    await toAccount(b.page);
    await b.page.getByText('No requests waiting for you.').waitFor();

    await a.page.getByRole('button', { name: 'New direct message' }).click();
    await a.page.getByLabel('Find people').fill('bob');
    await a.page.getByRole('button', { name: 'Message Bob @bob' }).click();
    const note = a.page.getByTestId('reach-note');
    await eventually(() => note.textContent()).toContain('Bob @bob only gets messages from people they share a room with or have accepted as a contact.');
    await expectAccessible(a.page, 'direct message dialog offering a contact request');
    await note.getByRole('button', { name: 'Send contact request to Bob @bob' }).click();
    await eventually(() => note.getByRole('status').textContent()).toBe('Request sent. You can write to Bob once they accept.');
    expect(await note.getByRole('button').count()).toBe(0);

    // Live on Bob's Account page, without a reload.
    await eventually(() => contactsIn(b.page, 'incoming')).toEqual(['ann']);
    await expectAccessible(b.page, 'account page with a contact request');
    await b.page.getByRole('button', { name: 'Accept Ann @ann' }).click();
    await eventually(() => contactsIn(b.page, 'contacts')).toEqual(['ann']);
    expect(await b.page.getByTestId('incoming').count()).toBe(0);
    expect(await api<{ outgoing: unknown[]; contacts: Array<{ username: string }> }>(app.url, 'contacts.list', undefined, ann.token)).toMatchObject({
      outgoing: [],
      contacts: [{ username: 'bob' }],
    });

    // Now the same button opens the conversation.
    await a.page.getByRole('button', { name: 'Message Bob @bob' }).click();
    await a.page.getByRole('heading', { level: 2, name: 'Bob @bob' }).waitFor();
    await send(a.page, 'hi bob');
    await eventually(() => shownMessages(a.page)).toEqual([expect.objectContaining({ text: 'hi bob', status: 'sent' })]);

    // Bob's **Message** on the Account page opens the same direct room.
    await b.page.getByRole('button', { name: 'Message Ann @ann' }).click();
    await b.page.getByRole('heading', { level: 2, name: 'Ann @ann' }).waitFor();
    await eventually(() => texts(b.page)).toEqual(['hi bob']);
  });

  it("the room panel's add-people search says why a stranger cannot be added, and offers the request", async () => {
    await api(app.url, 'rooms.create', { name: 'ops', kind: 'closed' }, ann.token);
    await openRoom(a.page, 'ops');
    await a.page.getByRole('button', { name: 'Room details' }).click();
    await panel(a.page).getByRole('searchbox', { name: 'Add people' }).fill('carol');
    await panel(a.page).getByRole('button', { name: 'Add Carol @carol' }).click();
    const note = panel(a.page).getByTestId('reach-note');
    await eventually(() => note.textContent()).toContain(
      'Carol @carol only gets invitations from people they share a room with or have accepted as a contact.',
    );
    await note.getByRole('button', { name: 'Send contact request to Carol @carol' }).click();
    await eventually(() => note.getByRole('status').textContent()).toBe('Request sent. You can write to Carol once they accept.');
    expect(await panel(a.page).getByTestId('member').count()).toBe(1);
    await panel(a.page).getByRole('button', { name: 'Close room details' }).click();
  });

  it('blocks from the direct room panel: a confirmation first, then the composer says so and his send is refused in words; unblocking undoes both', async () => {
    await openRoom(a.page, 'Bob');
    await openPeoplePanel(a.page);
    await panel(a.page).getByRole('button', { name: 'Block @bob' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Block @bob?' });
    await eventually(() => dialog.textContent()).toContain(
      'will not be able to send you direct messages or contact requests, and nothing they do will notify you',
    );
    await expectAccessible(a.page, 'block confirmation');
    await confirm(a.page, 'Block @bob?', 'Block');
    await panel(a.page).getByRole('button', { name: 'Unblock @bob' }).waitFor();
    await eventually(() => composer(a.page).getAttribute('placeholder')).toBe('You blocked Bob. Unblock to send messages.');
    expect(await composer(a.page).isDisabled()).toBe(true);
    await expectAccessible(a.page, 'direct room panel of a blocked person');

    await send(b.page, 'are you there?');
    const refused = b.page.locator('[data-testid="message"][data-status="failed"]');
    await eventually(() => refused.getByRole('alert').textContent()).toContain('Not sent: You cannot send messages to this person');
    expect(await texts(a.page)).toEqual(['hi bob']);

    await panel(a.page).getByRole('button', { name: 'Unblock @bob' }).click();
    await panel(a.page).getByRole('button', { name: 'Block @bob' }).waitFor();
    await eventually(() => composer(a.page).isDisabled()).toBe(false);
    await refused.getByRole('button', { name: 'Retry' }).click();
    await eventually(() => texts(a.page)).toEqual(['hi bob', 'are you there?']);
    await panel(a.page).getByRole('button', { name: 'Close room details' }).click();
  });

  it('deletes a message for me: gone here and live in my second tab, still gone after a reload; Bob keeps it', async () => {
    a2 = await a.context.newPage();
    await a2.goto(app.url);
    await openRoom(a2, 'Bob');
    await eventually(() => texts(a2)).toEqual(['hi bob', 'are you there?']);

    const theirs = a.page.getByTestId('message').filter({ hasText: 'are you there?' });
    await theirs.hover();
    await theirs.getByRole('button', { name: 'Delete for me' }).click();
    await eventually(() => theirs.textContent()).toContain('Delete this message for you only? The others keep it.');
    await theirs.getByRole('button', { name: 'Delete for me' }).click();
    await eventually(() => texts(a.page)).toEqual(['hi bob']);
    await eventually(() => texts(a2)).toEqual(['hi bob']);

    await a.page.reload();
    await openRoom(a.page, 'Bob');
    await eventually(() => texts(a.page)).toEqual(['hi bob']);
    expect(await texts(b.page)).toEqual(['hi bob', 'are you there?']);
  });

  it('deletes the conversation for me: it leaves both my tabs, and comes back with only the newer messages when Bob writes', async () => {
    await openPeoplePanel(a.page);
    await panel(a.page).getByRole('button', { name: 'Delete conversation' }).click();
    await eventually(() => a.page.getByRole('dialog', { name: 'Delete this conversation?' }).textContent()).toContain('For you only');
    await confirm(a.page, 'Delete this conversation?', 'Delete conversation');
    await eventually(() => roomLinks(a.page)).toEqual(['ops']);
    await eventually(() => roomLinks(a2)).toEqual(['ops']);
    await a.page.getByText('Pick a room, or create one.').waitFor();
    await a2.getByText('Pick a room, or create one.').waitFor();
    expect(await texts(b.page)).toEqual(['hi bob', 'are you there?']);

    await send(b.page, 'back again');
    await eventually(() => roomLinks(a.page)).toEqual(['ops', 'Bob @bob']);
    await eventually(() => roomLinks(a2)).toEqual(['ops', 'Bob @bob']);
    await openRoom(a.page, 'Bob');
    await eventually(() => texts(a.page)).toEqual(['back again']);
    await eventually(() => texts(b.page)).toEqual(['hi bob', 'are you there?', 'back again']);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
