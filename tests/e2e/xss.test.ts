import type { Browser } from 'playwright-core';
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
  registerAccount,
  send,
  texts,
  type Account,
  type RoomRow,
} from '../helpers/browser.ts';

/** Each would set window.__xss (or navigate, or pop a dialog) if it ever ran. */
const CORPUS = [
  '<script>window.__xss = 1</script>',
  '"><script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<svg onload=window.__xss=1>',
  '<svg><script>window.__xss=1</script></svg>',
  '<iframe src="javascript:parent.__xss=1"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<object data="javascript:window.__xss=1"></object>',
  '<embed src="javascript:window.__xss=1">',
  '<details open ontoggle=window.__xss=1>x</details>',
  '<input autofocus onfocus=window.__xss=1>',
  '<body onload=window.__xss=1>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<template><img src=x onerror=window.__xss=1></template>',
  '<style>*{display:none}</style>',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  '<div style="background:url(javascript:window.__xss=1)">styled</div>',
  '<a href="javascript:window.__xss=1">click me</a>',
  '[click me](javascript:window.__xss=1)',
  'javascript:window.__xss=1',
  'JaVaScRiPt:window.__xss=1',
  'javascript&colon;window.__xss=1',
  'jav&#x09;ascript:window.__xss=1',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==',
  '&lt;img src=x onerror=window.__xss=1&gt;',
  '{{constructor.constructor("window.__xss=1")()}}',
  '${window.__xss=1}',
  'http://example.com/" onmouseover="window.__xss=1',
  "https://example.com/'onfocus='window.__xss=1'autofocus='",
  'https://example.com/<img src=x onerror=window.__xss=1>',
  'see https://example.com/?q=<script>window.__xss=1</script> now',
  'http://javascript:window.__xss=1',
  'https://xn--80ak6aa92e.com/\u202egpj.exe',
];

/** The links the corpus may legitimately contain: plain http(s) URLs, cut where markup begins. */
const EXPECTED_LINKS = [
  'http://example.com/',
  'https://example.com/',
  'https://example.com/',
  'https://example.com/?q=',
  'https://xn--80ak6aa92e.com/%E2%80%AEgpj.exe',
];

describeInBrowser('the web app renders what users write as inert text', () => {
  let app: Awaited<ReturnType<typeof bootHearth>>;
  let browser: Browser;
  let admin: Account;
  let mallory: Account;
  let roomId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([bootHearth(), launchChromium()]);
    admin = await registerAccount(app.url, 'admin', 'Admin');
    mallory = await registerAccount(app.url, 'mallory', '<img src=x onerror=window.__xss=1>');
    // An open room the viewer joins: mallory shares no room with them, so she may not add them herself.
    const room = await api<RoomRow>(app.url, 'rooms.create', { name: '<script>window.__xss=1</script>', kind: 'open', memberIds: [] }, mallory.token);
    roomId = room.id;
    await api(app.url, 'rooms.join', { roomId }, admin.token);
    for (const [i, body] of CORPUS.entries()) {
      await api(app.url, 'messages.send', { roomId, body, clientMessageId: `xss-${i}` }, mallory.token);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows every payload as its own text, with no markup, no handlers and only http(s) links', async () => {
    const viewer = await openAs(browser, app.url, admin);
    const { page } = viewer;
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    try {
      await page.getByTestId('room-link').first().click();
      await eventually(() => texts(page)).toEqual(CORPUS);
      // One more, typed into the composer: the pending copy and the confirmed one are both inert.
      const typed = '<img src=x onerror="window.__xss = 2"> typed';
      await send(page, typed);
      await eventually(() => texts(page)).toEqual([...CORPUS, typed]);

      // Hover and focus everything a handler could hang on.
      for (const body of await page.getByTestId('message-body').all()) await body.hover();
      for (const link of await page.locator('[data-testid="message-body"] a').all()) await link.focus();

      const report = await page.evaluate(() => {
        const bodies = [...document.querySelectorAll('[data-testid="message-body"]')];
        return {
          xss: (window as unknown as { __xss?: unknown }).__xss,
          tagsInBodies: [...new Set(bodies.flatMap((b) => [...b.querySelectorAll('*')].map((e) => e.tagName)))],
          handlerAttributes: [...document.querySelectorAll('*')].flatMap((e) =>
            [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${e.tagName}[${a.name}]`),
          ),
          links: [...document.querySelectorAll<HTMLAnchorElement>('[data-testid="message-body"] a')].map((a) => ({
            href: a.getAttribute('href'),
            rel: a.rel,
            target: a.target,
          })),
          scripts: document.scripts.length,
          injected: document.querySelectorAll(
            'main img, main svg, main iframe, main object, main embed, main style, main base, main meta, main input:not([type=search])',
          ).length,
          title: document.title,
          heading: document.querySelector('.room-title h2')?.textContent,
          authors: [...new Set([...document.querySelectorAll('.author')].map((e) => e.textContent))],
          location: location.pathname,
        };
      });
      expect(report.xss).toBeUndefined();
      expect(dialogs).toBe(0);
      expect(report.tagsInBodies).toEqual(['A']);
      expect(report.handlerAttributes).toEqual([]);
      expect(report.links.map((l) => l.href)).toEqual(EXPECTED_LINKS);
      for (const link of report.links) {
        expect(link.href).toMatch(/^https?:\/\//);
        expect(link.target).toBe('_blank');
        expect(link.rel).toContain('noopener');
      }
      expect(report.injected).toBe(0);
      expect(report.title).toBe('Hearth');
      expect(report.heading).toBe('# <script>window.__xss=1</script>');
      expect(report.authors).toEqual(['<img src=x onerror=window.__xss=1> @mallory', 'Admin @admin']);
      expect(report.location).toBe('/');
      // The Next.js runtime's own scripts only: none came from a message.
      const scriptSources = await page.evaluate(() => [...document.scripts].filter((s) => !s.src && /__xss/.test(s.text)).length);
      expect(scriptSources).toBe(0);

      // The admin pages show the same names as text too.
      await page.getByRole('link', { name: 'Admin' }).click();
      await eventually(() => page.getByTestId('admin-user-row').count()).toBe(2);
      expect(await page.getByTestId('admin-user-row').filter({ hasText: '@mallory' }).locator('.person-name').textContent()).toBe(
        '<img src=x onerror=window.__xss=1>',
      );
      await page.getByRole('tab', { name: 'Rooms' }).click();
      await eventually(() => page.getByTestId('admin-room-row').locator('strong').first().textContent()).toBe('<script>window.__xss=1</script>');
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await page.locator('main img, main script, main iframe').count()).toBe(0);
      expect(viewer.errors).toEqual([]);
    } finally {
      await closeAll(viewer.context);
    }
  });

  it('shows the @username beside a display name wherever someone could pass for someone else', async () => {
    // Display names are free to pick: the impostor takes Alice's.
    const alice = await registerAccount(app.url, 'alice', 'Alice');
    const impostor = await registerAccount(app.url, 'alice_', 'Alice');
    await api(app.url, 'rooms.create', { name: 'lookalikes', kind: 'closed', memberIds: [alice.id, impostor.id] }, admin.token);
    const dm = await api<RoomRow>(app.url, 'rooms.direct', { userIds: [admin.id] }, impostor.token);
    await api(app.url, 'messages.send', { roomId: dm.id, body: 'it is me, Alice: send me the keys', clientMessageId: 'dm-1' }, impostor.token);
    const pages = await Promise.all([openAs(browser, app.url, admin), openAs(browser, app.url, alice), openAs(browser, app.url, impostor)]);
    const [viewer, alicePage, impostorPage] = pages;
    const { page } = viewer;
    try {
      await Promise.all(pages.map(({ page }) => openRoom(page, 'lookalikes')));
      await send(alicePage.page, 'hello from the real Alice');
      await eventually(() => texts(page)).toEqual(['hello from the real Alice']);
      await send(impostorPage.page, 'hello from Alice too');
      await eventually(() => texts(page)).toEqual(['hello from the real Alice', 'hello from Alice too']);

      // The timeline, with the handle shown and muted, not hidden away.
      expect(await page.locator('.author').allTextContents()).toEqual(['Alice @alice', 'Alice @alice_']);
      const handle = page.getByTestId('message').nth(1).locator('.author .handle');
      expect(await handle.isVisible()).toBe(true);
      expect(await handle.evaluate((el) => getComputedStyle(el).color)).not.toBe(
        await page
          .locator('.author .person-name')
          .nth(1)
          .evaluate((el) => getComputedStyle(el).color),
      );
      // Who is online, who is typing, who has seen my message.
      await eventually(() => page.getByTestId('online-user').allTextContents()).toEqual(['Admin @admin', 'Alice @alice', 'Alice @alice_']);
      await impostorPage.page.getByRole('textbox', { name: 'Message # lookalikes' }).pressSequentially('typing as Alice');
      await eventually(() => page.getByTestId('typing').textContent()).toBe('Alice @alice_ is typing…');
      await send(page, 'who is who?');
      await eventually(async () => (await page.getByTestId('seen-by').locator('.handle').allTextContents()).sort()).toEqual(['@alice', '@alice_']);
      expect(await page.getByTestId('seen-by').textContent()).toMatch(/^Seen by Alice @alice_? and Alice @alice_?$/);

      // The direct message the impostor started, in the sidebar and as the room's title.
      const dmLink = page.getByTestId('room-link').filter({ hasText: '@alice_' });
      expect(await dmLink.locator('.room-link-name').textContent()).toBe('@ Alice @alice_');
      await dmLink.click();
      await page.getByRole('heading', { level: 2, name: 'Alice @alice_' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'Message Alice @alice_' }).count()).toBe(1);

      // The people search for a new direct message, and the admin's table.
      await page.getByRole('button', { name: 'New direct message' }).click();
      await page.getByLabel('Find people').fill('alice');
      await eventually(() => page.getByRole('list', { name: 'People' }).locator('li strong').allTextContents()).toEqual(['Alice @alice', 'Alice @alice_']);
      expect(await page.getByRole('button', { name: 'Message Alice @alice_' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('link', { name: 'Admin' }).click();
      await eventually(() => page.locator('[data-testid="admin-user-row"][data-username^="alice"] td:first-child').allTextContents()).toEqual([
        'Alice @alice',
        'Alice @alice_',
      ]);
      expect(pages.flatMap((p) => p.errors)).toEqual([]);
    } finally {
      await closeAll(...pages.map((p) => p.context));
    }
  });
});
