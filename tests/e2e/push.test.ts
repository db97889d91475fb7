import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/shared/wire.ts';
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
  registerAccount,
  watchErrors,
  type Account,
} from '../helpers/browser.ts';
import { startPushService, type Device, type PushService } from '../helpers/push-service.ts';

/**
 * Chromium cannot reach its vendor's push service from here, so that one part
 * is stood in for: PushManager's subscribe and getSubscription hand out a
 * subscription whose endpoint is the test's push service and whose keys the
 * test holds. Everything else is real: the service worker, the Account page,
 * push.subscribe, the notifier, the dispatcher, encryption and VAPID.
 */
function fakePushManager({ endpoint, p256dh, auth }: { endpoint: string; p256dh: string; auth: string }) {
  const KEY = 'test-push-subscription';
  const bytes = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  const text = (buffer: ArrayBuffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const subscription = (serverKey: string) => ({
    endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: bytes(serverKey) },
    getKey: (name: string) => bytes(name === 'p256dh' ? p256dh : auth),
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
    unsubscribe: async () => (localStorage.removeItem(KEY), true),
  });
  PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
    const key = options?.applicationServerKey as Uint8Array;
    localStorage.setItem(KEY, text(key.buffer as ArrayBuffer));
    return subscription(localStorage.getItem(KEY)!) as unknown as PushSubscription;
  };
  PushManager.prototype.getSubscription = async function () {
    const key = localStorage.getItem(KEY);
    return (key ? subscription(key) : null) as unknown as PushSubscription | null;
  };
}

describeInBrowser('web push: the Account page subscribes this browser, pushes reach it, the service worker shows them', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let pushService: PushService;
  let context: BrowserContext;
  let alice: Account;
  let bob: Account;
  let device: Device;

  beforeAll(async () => {
    pushService = await startPushService();
    [app, browser] = await Promise.all([
      bootHearth({ PUSH_CA_FILE: pushService.caFile, PUSH_SERVICE_HOSTS: pushService.host, PUSH_TIMEOUT_MS: '2000', PUSH_RETRY_BASE_MS: '100' }),
      launchChromium(),
    ]);
    alice = await registerAccount(app.url, 'alice', 'Alice');
    bob = await registerAccount(app.url, 'bob', 'Bob');
    device = pushService.device();
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    await context.grantPermissions(['notifications'], { origin: app.url });
    await context.addInitScript(fakePushManager, { endpoint: device.subscription.endpoint, ...device.subscription.keys });
    await context.addCookies([{ name: SESSION_COOKIE, value: bob.token, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  });

  afterAll(async () => {
    await closeAll(context);
    await browser?.close();
    await app?.stop();
    await pushService?.close();
  });

  /** A query as Bob (the shared `api` helper posts anything it does not know as a query). */
  async function asBob<T>(procedure: string): Promise<T> {
    const response = await fetch(`${app.url}/api/trpc/${procedure}`, { headers: { authorization: `Bearer ${bob.token}` } });
    return ((await response.json()) as { result: { data: T } }).result.data;
  }
  const settings = () => asBob<{ preview: boolean; subscriptions: number }>('push.settings');

  /** Bob has no page open: once the server sees him offline, he is pushed. */
  async function bobOffline(roomId: string) {
    const members = () => api<Array<{ userId: string; online: boolean }>>(app.url, 'rooms.members', { roomId }, alice.token);
    await eventually(async () => (await members()).find((m) => m.userId === bob.id)?.online).toBe(false);
  }

  async function accountPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.url}/account`);
    await page.getByRole('heading', { name: 'Notifications on this device' }).waitFor();
    return { page, errors };
  }

  it('turns push on from the Account page; a message to Bob while he has no page open is pushed, encrypted for this browser', async () => {
    const { page, errors } = await accountPage();
    const state = page.getByTestId('push-state');
    await eventually(() => state.textContent()).toBe('Push notifications are off for this browser.');
    await page.getByRole('button', { name: 'Turn on on this device' }).click();
    await eventually(() => state.textContent()).toBe('Push notifications are on for this browser.');
    await expectAccessible(page, 'the Account page with push on');
    expect(await settings()).toMatchObject({ subscriptions: 1, preview: true });
    // The browser subscribed with the server's kept VAPID key.
    const { publicKey } = await asBob<{ publicKey: string }>('push.publicKey');
    expect(await page.evaluate(() => localStorage.getItem('test-push-subscription'))).toBe(publicKey);
    expect(errors).toEqual([]);

    await page.close();
    const direct = await api<{ id: string }>(app.url, 'rooms.direct', { userIds: [bob.id] }, alice.token);
    await bobOffline(direct.id);
    await api(app.url, 'messages.send', { roomId: direct.id, body: 'Lunch at noon?', clientMessageId: 'push-e2e-1' }, alice.token);

    await eventually(() => device.pushes.length).toBe(1);
    expect(device.pushes[0]!.payload).toEqual({
      notificationId: expect.any(String),
      title: 'New message from Alice',
      body: 'Lunch at noon?',
      url: `/#room=${direct.id}`,
    });
    expect(device.pushes[0]!.vapid.k).toBe(publicKey);
    expect(pushService.rejected).toEqual([]);
  });

  it('the service worker shows a push as a notification tagged with its id, with the room to open', async () => {
    const { page } = await accountPage();
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string }> = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: updated }) => registrations.push(...updated));
    await cdp.send('ServiceWorker.enable');
    await eventually(() => registrations.some((r) => r.scopeURL === `${app.url}/`)).toBe(true);
    const { registrationId } = registrations.find((r) => r.scopeURL === `${app.url}/`)!;
    const pushed = device.pushes[0]!.payload;

    await cdp.send('ServiceWorker.deliverPushMessage', { origin: app.url, registrationId, data: JSON.stringify(pushed) });

    const shown = () =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown })),
      );
    await eventually(shown).toEqual([{ title: pushed.title, body: pushed.body, tag: pushed.notificationId, data: { url: `${app.url}${pushed.url}` } }]);
    await cdp.detach();
    await page.close();
  });

  it('hides message text when Bob turns previews off, and turning push off removes this browser', async () => {
    const { page, errors } = await accountPage();
    const toggle = page.getByRole('checkbox', { name: 'Show message text in push notifications' });
    await eventually(() => toggle.isChecked()).toBe(true);
    await toggle.click();
    await eventually(async () => (await settings()).preview).toBe(false);
    await page.close();

    const direct = await api<{ id: string }>(app.url, 'rooms.direct', { userIds: [bob.id] }, alice.token);
    await bobOffline(direct.id);
    await api(app.url, 'messages.send', { roomId: direct.id, body: 'The secret plan', clientMessageId: 'push-e2e-2' }, alice.token);
    await eventually(() => device.pushes.length).toBe(2);
    expect(device.pushes[1]!.payload).toMatchObject({ title: 'Hearth', body: 'New message' });

    const again = await accountPage();
    const state = again.page.getByTestId('push-state');
    await eventually(() => state.textContent()).toBe('Push notifications are on for this browser.');
    await again.page.getByRole('button', { name: 'Turn off on this device' }).click();
    await eventually(() => state.textContent()).toBe('Push notifications are off for this browser.');
    expect(await settings()).toMatchObject({ subscriptions: 0 });
    expect([...errors, ...again.errors]).toEqual([]);
  });
});
