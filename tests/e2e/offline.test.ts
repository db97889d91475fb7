import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import {
  type Account,
  aliceAndBobInARoom,
  api,
  bootHearth,
  closeAll,
  describeInBrowser,
  eventually,
  expect,
  launchChromium,
  openAs,
  send,
  shownMessages,
} from '../helpers/browser.ts';

/** Small, so a long outage is cheap to cause: more missed events than this get a `reset`. */
const REPLAY_LIMIT = 6;

type Session = Awaited<ReturnType<typeof openAs>>;

/** Counts the page's history fetches (the newest page is fetched on open and after a `reset`). */
function countHistoryFetches(page: Page) {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.url().includes('messages.history')) counter.count++;
  });
  return counter;
}

const banner = (page: Page) => page.getByTestId('connection-banner');

/** Every message shown once, confirmed, in seq order, with these texts. */
async function expectDelivered(page: Page, expected: string[]) {
  const read = async () => (await shownMessages(page)).map((m) => `${m.status}: ${m.text}`);
  await eventually(read).toEqual(expected.map((text) => `sent: ${text}`));
  const shown = await shownMessages(page);
  const seqs = shown.map((m) => m.seq!);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
}

describeInBrowser('the web app offline and back', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let alice: Account;
  let roomId: string;
  let a: Session;
  let b: Session;

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth({ REPLAY_LIMIT: String(REPLAY_LIMIT) }), launchChromium()]);
    ({ alice, roomId, a, b } = await aliceAndBobInARoom(browser, app.url));
  });

  afterAll(async () => {
    await closeAll(a?.context, b?.context);
    await browser?.close();
    await app?.stop();
  });

  const history = async () =>
    (await api<{ messages: { body: string }[] }>(app.url, 'messages.history', { roomId, limit: 200 }, alice.token)).messages.map((m) => m.body);

  it('queues sends made offline and delivers them once, in order; recovers missed messages by replay, without a reload', async () => {
    await send(a.page, 'm1');
    await expectDelivered(b.page, ['m1']);
    await eventually(() => a.page.getByTestId('online-user').allTextContents()).toEqual(['Alice @alice', 'Bob @bob']);
    await b.page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    const fetches = countHistoryFetches(b.page);

    await b.context.setOffline(true);
    await eventually(() => banner(b.page).getAttribute('data-status')).toBe('offline');
    // Bob's socket is gone: Alice sees him go offline.
    await eventually(() => a.page.getByTestId('online-user').allTextContents()).toEqual(['Alice @alice']);

    await send(a.page, 'a1');
    await send(a.page, 'a2');
    await send(b.page, 'b1 (written offline)');
    await send(b.page, 'b2 (written offline)');
    await send(a.page, 'a3');
    await expectDelivered(a.page, ['m1', 'a1', 'a2', 'a3']);

    // Offline, Bob sees his own two messages queued, and none of Alice's new ones.
    expect(await shownMessages(b.page)).toEqual([
      { text: 'm1', status: 'sent', seq: expect.any(Number) },
      { text: 'b1 (written offline)', status: 'pending', seq: null },
      { text: 'b2 (written offline)', status: 'pending', seq: null },
    ]);
    expect(await b.page.getByTestId('pending-status').allTextContents()).toEqual([
      'Queued: it will be sent when you are back online.',
      'Queued: it will be sent when you are back online.',
    ]);
    expect(await banner(b.page).textContent()).toContain('2 messages will be sent when you are back online.');

    await b.context.setOffline(false);
    const expected = ['m1', 'a1', 'a2', 'a3', 'b1 (written offline)', 'b2 (written offline)'];
    await expectDelivered(b.page, expected);
    await expectDelivered(a.page, expected);
    await eventually(() => banner(b.page).count()).toBe(0);
    await eventually(() => a.page.getByTestId('online-user').allTextContents()).toEqual(['Alice @alice', 'Bob @bob']);

    // Delivered once each (the server's own record), without reloading the page
    // or refetching history: the missed events came from the resumed stream.
    expect(await history()).toEqual(expected);
    expect(await b.page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(fetches.count).toBe(0);
    expect(b.errors).toEqual([]);
  });

  it('refetches the room after a `reset` (a gap larger than the replay limit), still without a reload', async () => {
    const fetches = countHistoryFetches(b.page);
    await b.context.setOffline(true);
    await eventually(() => banner(b.page).getAttribute('data-status')).toBe('offline');
    const missed = Array.from({ length: REPLAY_LIMIT + 2 }, (_, i) => `burst ${i + 1}`);
    for (const body of missed) await api(app.url, 'messages.send', { roomId, body, clientMessageId: body }, alice.token);
    await send(b.page, 'b3 (written offline)');

    await b.context.setOffline(false);
    const before = (await history()).slice(0, 6);
    const expected = [...before, ...missed, 'b3 (written offline)'];
    await expectDelivered(b.page, expected);
    await expectDelivered(a.page, expected);
    expect(await history()).toEqual(expected);
    expect(fetches.count).toBeGreaterThanOrEqual(1);
    expect(await b.page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(b.errors).toEqual([]);
  });
});
