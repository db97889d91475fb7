import { describe, expect, it } from 'vitest';
import { rejection } from './helpers/errors.ts';
import { startServer, TEST_SETUP_TOKEN, TestClock } from './helpers/server.ts';

const PASSWORD = 'correct horse battery';

describe('auth.register', () => {
  it('makes the first account admin and later ones members', async () => {
    const hearth = await startServer();
    const alice = await hearth.register('Alice');
    const bob = await hearth.register('bob');
    expect(alice.user).toMatchObject({ username: 'alice', displayName: 'Alice', role: 'admin' });
    expect(bob.user).toMatchObject({ username: 'bob', role: 'member' });
    expect(alice.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(alice.token).not.toBe(bob.token);
  });

  it('answers CONFLICT for a taken username, whatever its case, and creates nothing', async () => {
    const hearth = await startServer();
    await hearth.register('alice');
    const error = await rejection(hearth.register('ALICE'));
    expect(error.data?.code).toBe('CONFLICT');
    expect(await hearth.server.services.store.prisma.user.count()).toBe(1);
  });

  it('answers BAD_REQUEST with the zod issues for invalid input', async () => {
    const hearth = await startServer();
    const { trpc } = hearth.client();
    const error = await rejection(trpc.auth.register.mutate({ username: 'a b', password: 'short' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.httpStatus).toBe(400);
    const paths = error.data?.issues?.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['password', 'username']);
    expect(error.data?.zodError?.fieldErrors).toHaveProperty('password');
    expect(await hearth.server.services.store.prisma.user.count()).toBe(0);
  });

  it('stores an argon2id hash and only a hash of the session token', async () => {
    const hearth = await startServer();
    const { token } = await hearth.register('alice', PASSWORD);
    const db = hearth.server.services.store.prisma;
    const user = await db.user.findFirstOrThrow();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    const sessions = await db.session.findMany();
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(sessions[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('auth.login', () => {
  it('returns a new working token for the right password', async () => {
    const hearth = await startServer();
    const registered = await hearth.register('alice', PASSWORD);
    const { trpc } = hearth.client();
    const login = await trpc.auth.login.mutate({ username: 'Alice', password: PASSWORD });
    expect(login.user.id).toBe(registered.user.id);
    expect(login.token).not.toBe(registered.token);
    const me = await hearth.client({ token: login.token }).trpc.auth.me.query();
    expect(me).toMatchObject({ id: registered.user.id, username: 'alice', role: 'admin' });
  });

  it('gives the same error for an unknown user and a wrong password', async () => {
    const hearth = await startServer();
    await hearth.register('alice', PASSWORD);
    const { trpc } = hearth.client();
    const wrong = await rejection(trpc.auth.login.mutate({ username: 'alice', password: 'not the password' }));
    const unknown = await rejection(trpc.auth.login.mutate({ username: 'nobody', password: 'not the password' }));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    expect(unknown.data?.code).toBe('UNAUTHORIZED');
    expect(wrong.message).toBe(unknown.message);
  });

  // From one address; other addresses are only slowed, and known ones not at all (login-throttle.test.ts).
  it('locks an account for the address that failed repeatedly, even for the right password, until the lockout passes', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { LOGIN_MAX_FAILURES: '5', LOGIN_LOCKOUT_SECONDS: '900' } });
    await hearth.register('alice', PASSWORD);
    await hearth.register('bob', PASSWORD);
    const { trpc } = hearth.client();
    for (let i = 0; i < 5; i++) {
      const error = await rejection(trpc.auth.login.mutate({ username: 'alice', password: `wrong ${i}` }));
      expect(error.data?.code).toBe('UNAUTHORIZED');
    }
    const locked = await rejection(trpc.auth.login.mutate({ username: 'alice', password: PASSWORD }));
    expect(locked.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.data?.httpStatus).toBe(429);
    expect((locked.data as { retryAfterMs?: number }).retryAfterMs).toBe(900_000);
    // Other accounts are unaffected.
    await expect(trpc.auth.login.mutate({ username: 'bob', password: PASSWORD })).resolves.toHaveProperty('token');

    clock.advance(900_000);
    await expect(trpc.auth.login.mutate({ username: 'alice', password: PASSWORD })).resolves.toHaveProperty('token');
  });
});

describe('sessions', () => {
  it('auth.me is UNAUTHORIZED without a session or with a bad token', async () => {
    const hearth = await startServer();
    const anonymous = await rejection(hearth.client().trpc.auth.me.query());
    expect(anonymous.data?.code).toBe('UNAUTHORIZED');
    const forged = await rejection(hearth.client({ token: 'not-a-real-token' }).trpc.auth.me.query());
    expect(forged.data?.code).toBe('UNAUTHORIZED');
  });

  it('expires sessions after SESSION_TTL_DAYS', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { SESSION_TTL_DAYS: '1' } });
    const { token } = await hearth.register('alice');
    const { trpc } = hearth.client({ token });
    await expect(trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    clock.advance(86_400_000);
    expect((await rejection(trpc.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
  });

  it('logout revokes the session: its token stops working, others keep working', async () => {
    const hearth = await startServer();
    const first = await hearth.register('alice', PASSWORD);
    const second = await hearth.client().trpc.auth.login.mutate({ username: 'alice', password: PASSWORD });
    await expect(hearth.client({ token: first.token }).trpc.auth.logout.mutate()).resolves.toEqual({ ok: true });
    expect((await rejection(hearth.client({ token: first.token }).trpc.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    await expect(hearth.client({ token: second.token }).trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    const revoked = await hearth.server.services.store.prisma.session.findMany({ where: { revokedAt: { not: null } } });
    expect(revoked).toHaveLength(1);
  });
});

describe('the browser session cookie', () => {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('is HttpOnly and SameSite=Lax, authenticates, and is cleared by logout', async () => {
    const hearth = await startServer();
    const response = await post(`${hearth.url}/api/trpc/auth.register`, { username: 'alice', password: PASSWORD, setupToken: TEST_SETUP_TOKEN });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^hearth_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;

    const me = await fetch(`${hearth.url}/api/trpc/auth.me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).result.data.username).toBe('alice');

    const logout = await post(`${hearth.url}/api/trpc/auth.logout`, {}, { cookie, origin: hearth.url });
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/^hearth_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await fetch(`${hearth.url}/api/trpc/auth.me`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses mutations from a foreign browser origin (CSRF) and accepts configured ones', async () => {
    const hearth = await startServer({ env: { ALLOWED_ORIGINS: 'https://chat.example.com' } });
    const evil = await post(`${hearth.url}/api/trpc/auth.register`, { username: 'mallory', password: PASSWORD }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.data.code).toBe('FORBIDDEN');
    expect(await hearth.server.services.store.prisma.user.count()).toBe(0);
    const allowed = await post(
      `${hearth.url}/api/trpc/auth.register`,
      { username: 'alice', password: PASSWORD, setupToken: TEST_SETUP_TOKEN },
      { origin: 'https://chat.example.com' },
    );
    expect(allowed.status).toBe(200);
  });

  it('rejects a body over the payload limit with 413 and creates nothing', async () => {
    const hearth = await startServer();
    const response = await post(`${hearth.url}/api/trpc/auth.register`, { username: 'alice', password: 'x'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect((await response.json()).error.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await hearth.server.services.store.prisma.user.count()).toBe(0);
  });
});
