import { describe, expect, it } from 'vitest';
import { CloseCode } from '../src/shared/wire.ts';
import { createRoom, people } from './helpers/chat.ts';
import { closed, opened, rawSocket } from './helpers/raw-ws.ts';
import { startServer, TestClock } from './helpers/server.ts';

describe('browser mutations over HTTP (CSRF)', () => {
  async function setup() {
    const hearth = await startServer({ env: { ALLOWED_ORIGINS: 'https://chat.example.com' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const cookie = `hearth_session=${alice.token}`;
    const send = (body: BodyInit, headers: Record<string, string>) =>
      fetch(`${hearth.url}/api/trpc/messages.send`, { method: 'POST', headers: { cookie, ...headers }, body });
    const count = () => hearth.server.services.store.prisma.message.count();
    return { hearth, alice, room, send, count };
  }

  it('refuses a cross-site multipart form post, and a text/plain one, changing nothing', async () => {
    const { room, send, count } = await setup();
    const form = new FormData();
    form.set('roomId', room.id);
    form.set('body', 'forged');
    form.set('clientMessageId', 'csrf1');
    const multipart = await send(form, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(multipart.status).toBe(403);
    expect((await multipart.json()).error.data.code).toBe('FORBIDDEN');

    // A form on a page that sends no Origin still says cross-site in Sec-Fetch-Site.
    const json = JSON.stringify({ roomId: room.id, body: 'forged', clientMessageId: 'csrf2' });
    const noOrigin = await send(json, { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' });
    expect(noOrigin.status).toBe(403);
    const sameSite = await send(json, { 'content-type': 'application/json', 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    expect(await count()).toBe(0);
  });

  it('takes mutations as JSON only, even from our own origin: forms and text/plain get 415', async () => {
    const { hearth, room, send, count } = await setup();
    const json = JSON.stringify({ roomId: room.id, body: 'hi', clientMessageId: 'a1' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
      const response = await send(json, { origin: hearth.url, 'content-type': type });
      expect(response.status).toBe(415);
      expect((await response.json()).error.data.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await count()).toBe(0);
    // Same origin by Origin, by Sec-Fetch-Site alone, an allowed origin, or no browser at all: JSON goes through.
    const ok = [
      await send(json, { origin: hearth.url, 'content-type': 'application/json' }),
      await send(JSON.stringify({ roomId: room.id, body: 'hi', clientMessageId: 'a2' }), {
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json; charset=utf-8',
      }),
      await send(JSON.stringify({ roomId: room.id, body: 'hi', clientMessageId: 'a3' }), {
        origin: 'https://chat.example.com',
        'content-type': 'application/json',
      }),
      await send(JSON.stringify({ roomId: room.id, body: 'hi', clientMessageId: 'a4' }), { 'content-type': 'application/json' }),
    ];
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await count()).toBe(4);
  });
});

describe('session recheck of open sockets', () => {
  it('closes, within 5 s, the sockets of a session that expired, was revoked, or whose user was deactivated, though no event said so', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock });
    const { alice, bob, carol, dave } = await people(hearth, 'alice', 'bob', 'carol', 'dave');
    const socket = (token: string) => rawSocket(hearth.url, { authorization: `Bearer ${token}` });
    const [a, b, c, d] = [alice, bob, carol, dave].map((p) => socket(p.token));
    await Promise.all([a, b, c, d].map((ws) => opened(ws!)));
    const db = hearth.server.services.store.prisma;

    // Straight to the database: no logout, no bus event to close anything.
    const now = new Date(clock.now());
    await db.session.updateMany({ where: { userId: alice.id }, data: { expiresAt: now } });
    await db.session.updateMany({ where: { userId: bob.id }, data: { revokedAt: now } });
    await db.user.update({ where: { id: carol.id }, data: { deactivatedAt: now } });
    const started = Date.now();
    const codes = await Promise.all([a, b, c].map((ws) => closed(ws!).then((close) => close.code)));
    expect(codes).toEqual([CloseCode.unauthorized, CloseCode.unauthorized, CloseCode.unauthorized]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(d!.readyState).toBe(d!.OPEN);

    // Time passing does it too: Dave's 30 days run out.
    clock.advance(30 * 86_400_000);
    const before = Date.now();
    expect((await closed(d!)).code).toBe(CloseCode.unauthorized);
    expect(Date.now() - before).toBeLessThan(5000);
  });
});
