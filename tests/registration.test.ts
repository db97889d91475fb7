import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/app/config.ts';
import { hashToken } from '../src/server/auth/tokens.ts';
import { people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { startServer, TEST_SETUP_TOKEN, TestClock, type TestServer } from './helpers/server.ts';

const PASSWORD = 'correct horse battery';
const anonymous = (hearth: TestServer) => hearth.client().trpc;
const userCount = (hearth: TestServer) => hearth.server.services.store.prisma.user.count();

describe('the setup link (a server with no admin)', () => {
  it('refuses any sign-up without it, whatever the mode, saying where the link is; the link claims the admin once', async () => {
    for (const REGISTRATION of ['open', 'invite', 'closed']) {
      const hearth = await startServer({ env: { REGISTRATION } });
      const refused = await rejection(anonymous(hearth).auth.register.mutate({ username: 'mallory', password: PASSWORD }));
      expect([refused.data?.code, refused.message]).toEqual(['FORBIDDEN', expect.stringContaining("setup link printed in the server's log")]);
      const wrong = await rejection(anonymous(hearth).auth.register.mutate({ username: 'mallory', password: PASSWORD, setupToken: 'not-the-token-at-all' }));
      expect([wrong.data?.code, wrong.message]).toEqual(['FORBIDDEN', expect.stringContaining('This setup link is not valid')]);
      expect(await userCount(hearth)).toBe(0);
      expect(await anonymous(hearth).auth.registration.query()).toEqual({ mode: REGISTRATION, setUp: false, link: null });

      const admin = await anonymous(hearth).auth.register.mutate({ username: 'root', password: PASSWORD, setupToken: TEST_SETUP_TOKEN });
      expect(admin.user.role).toBe('admin');
      const status = await anonymous(hearth).auth.registration.query({ link: { kind: 'setup', token: TEST_SETUP_TOKEN } });
      expect(status).toEqual({ mode: REGISTRATION, setUp: true, link: { kind: 'setup', problem: expect.stringContaining('has been used') } });
      await hearth.close();
    }
  });

  it('a spent setup link opens nothing more than the mode: refused with invite, a member with open', async () => {
    const invite = await startServer({ env: { REGISTRATION: 'invite' } });
    await invite.register('root');
    const again = await rejection(anonymous(invite).auth.register.mutate({ username: 'late', password: PASSWORD, setupToken: TEST_SETUP_TOKEN }));
    expect([again.data?.code, again.message]).toEqual(['FORBIDDEN', expect.stringContaining('This setup link has been used')]);
    expect(await userCount(invite)).toBe(1);

    const open = await startServer({ env: { REGISTRATION: 'open' } });
    await open.register('root');
    const member = await anonymous(open).auth.register.mutate({ username: 'later', password: PASSWORD, setupToken: TEST_SETUP_TOKEN });
    expect(member.user.role).toBe('member');
  });

  it('two claims of the setup link at once on an invite-only server: one admin, the other refused', async () => {
    const hearth = await startServer({ env: { REGISTRATION: 'invite' } });
    const claims = await Promise.allSettled(
      ['first', 'second', 'third'].map((username) => anonymous(hearth).auth.register.mutate({ username, password: PASSWORD, setupToken: TEST_SETUP_TOKEN })),
    );
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    expect(await hearth.server.services.store.prisma.user.count({ where: { role: 'admin' } })).toBe(1);
    expect(await userCount(hearth)).toBe(1);
  });
});

describe('REGISTRATION modes', () => {
  it('are checked at start-up; a bad SETUP_TOKEN is named, never echoed', () => {
    expect(() => loadConfig({ REGISTRATION: 'maybe' })).toThrow(/REGISTRATION: .*"open".*"invite".*"closed".*\(got "maybe"\)/);
    let message = '';
    try {
      loadConfig({ SETUP_TOKEN: 'short-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SETUP_TOKEN: must be at least 16 characters');
    expect(message).not.toContain('short-secret');
  });

  it('invite (the default) and closed refuse sign-ups in plain words; open takes them as members', async () => {
    const byDefault = await startServer({ env: { REGISTRATION: undefined } });
    expect(byDefault.server.services.config.REGISTRATION).toBe('invite');
    await byDefault.register('root');
    const invite = await rejection(anonymous(byDefault).auth.register.mutate({ username: 'bob', password: PASSWORD }));
    expect([invite.data?.code, invite.message]).toEqual(['FORBIDDEN', 'Registration is by invitation only: ask an admin for an invitation link']);

    const closed = await startServer({ env: { REGISTRATION: 'closed' } });
    await closed.register('root');
    const refused = await rejection(anonymous(closed).auth.register.mutate({ username: 'bob', password: PASSWORD }));
    expect([refused.data?.code, refused.message]).toEqual(['FORBIDDEN', 'Registration is closed: an admin creates accounts']);
    expect(await userCount(closed)).toBe(1);

    const open = await startServer({ env: { REGISTRATION: 'open' } });
    await open.register('root');
    expect((await anonymous(open).auth.register.mutate({ username: 'bob', password: PASSWORD })).user.role).toBe('member');
  });
});

describe('invitations', () => {
  it('an admin creates one (token stored hashed), lists it with uses left, and it registers members until used up', async () => {
    const hearth = await startServer({ env: { REGISTRATION: 'invite' } });
    const { root } = await people(hearth, 'root');
    const { token, invite } = await root.api.admin.invites.create.mutate({ expiresInHours: 24, maxUses: 2 });
    expect(invite).toMatchObject({ maxUses: 2, usesLeft: 2, state: 'active' });
    const row = await hearth.server.services.store.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    expect((await anonymous(hearth).auth.registration.query({ link: { kind: 'invite', token } })).link).toEqual({ kind: 'invite', problem: null });
    const bob = await anonymous(hearth).auth.register.mutate({ username: 'bob', password: PASSWORD, inviteToken: token });
    expect(bob.user.role).toBe('member');
    // A taken username does not spend a use.
    const taken = await rejection(anonymous(hearth).auth.register.mutate({ username: 'BOB', password: PASSWORD, inviteToken: token }));
    expect(taken.data?.code).toBe('CONFLICT');
    expect((await root.api.admin.invites.list.query())[0]).toMatchObject({ id: invite.id, usesLeft: 1, state: 'active' });
    await anonymous(hearth).auth.register.mutate({ username: 'carol', password: PASSWORD, inviteToken: token });
    const used = await rejection(anonymous(hearth).auth.register.mutate({ username: 'dave', password: PASSWORD, inviteToken: token }));
    expect([used.data?.code, used.message]).toEqual(['FORBIDDEN', 'This invitation link has been used up: ask an admin for a new one']);
    expect((await root.api.admin.invites.list.query())[0]).toMatchObject({ usesLeft: 0, state: 'used' });
    expect(await userCount(hearth)).toBe(3);
  });

  it('refuses expired, revoked and unknown invitations, each in its own words', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { REGISTRATION: 'closed' } });
    const { root } = await people(hearth, 'root');
    const expiring = await root.api.admin.invites.create.mutate({ expiresInHours: 1, maxUses: 5 });
    const revoked = await root.api.admin.invites.create.mutate({});
    expect(revoked.invite).toMatchObject({ maxUses: 1 }); // defaults: one use, a week
    expect(Date.parse(revoked.invite.expiresAt) - clock.now()).toBe(168 * 3_600_000);
    await root.api.admin.invites.revoke.mutate({ inviteId: revoked.invite.id });
    expect((await rejection(root.api.admin.invites.revoke.mutate({ inviteId: revoked.invite.id }))).data?.code).toBe('NOT_FOUND');
    clock.advance(3_600_000);
    const attempt = (inviteToken: string) => rejection(anonymous(hearth).auth.register.mutate({ username: 'bob', password: PASSWORD, inviteToken }));
    expect((await attempt(expiring.token)).message).toBe('This invitation link has expired: ask an admin for a new one');
    expect((await attempt(revoked.token)).message).toBe('This invitation link was revoked: ask an admin for a new one');
    expect((await attempt('x'.repeat(43))).message).toContain('This invitation link is not valid');
    expect((await root.api.admin.invites.list.query()).map((i) => i.state)).toEqual(['revoked', 'expired']);
    expect(await userCount(hearth)).toBe(1);
  });

  it('redemption is atomic: ten people racing for a one-use invitation make one account', async () => {
    const hearth = await startServer({ env: { REGISTRATION: 'invite' } });
    const { root } = await people(hearth, 'root');
    const { token, invite } = await root.api.admin.invites.create.mutate({ maxUses: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => anonymous(hearth).auth.register.mutate({ username: `racer${i}`, password: PASSWORD, inviteToken: token })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    expect(new Set(refusals)).toEqual(new Set(['This invitation link has been used up: ask an admin for a new one']));
    expect(await userCount(hearth)).toBe(2);
    expect((await hearth.server.services.store.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).usesLeft).toBe(0);
  });

  it('only admins manage invitations; bad input is a BAD_REQUEST that creates nothing', async () => {
    const hearth = await startServer();
    const { root, bob } = await people(hearth, 'root', 'bob');
    expect((await rejection(bob.api.admin.invites.create.mutate({}))).data?.code).toBe('FORBIDDEN');
    expect((await rejection(bob.api.admin.invites.list.query())).data?.code).toBe('FORBIDDEN');
    for (const bad of [{ maxUses: 0 }, { maxUses: 1001 }, { expiresInHours: 0 }, { expiresInHours: 721 }, { maxUses: 1.5 }]) {
      expect((await rejection(root.api.admin.invites.create.mutate(bad))).data?.code, JSON.stringify(bad)).toBe('BAD_REQUEST');
    }
    expect((await rejection(root.api.admin.invites.revoke.mutate({ inviteId: 'nope' }))).data?.code).toBe('BAD_REQUEST');
    expect(await root.api.admin.invites.list.query()).toEqual([]);
  });
});

describe('accounts made by an admin', () => {
  it('with a password, or with a one-time set-password link; in closed mode too; names checked as at sign-up', async () => {
    const hearth = await startServer({ env: { REGISTRATION: 'closed' } });
    const { root } = await people(hearth, 'root');
    const made = await root.api.admin.users.create.mutate({ username: 'Bob', displayName: 'Bob B', password: PASSWORD });
    expect([made.user.username, made.user.displayName, made.user.role, made.setPassword]).toEqual(['bob', 'Bob B', 'member', null]);
    await expect(anonymous(hearth).auth.login.mutate({ username: 'bob', password: PASSWORD })).resolves.toHaveProperty('token');

    const carol = await root.api.admin.users.create.mutate({ username: 'carol', role: 'admin' });
    expect(carol.user.role).toBe('admin');
    expect(carol.setPassword?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // No password yet: logging in fails like a wrong password.
    const login = await rejection(anonymous(hearth).auth.login.mutate({ username: 'carol', password: '!' }));
    expect([login.data?.code, login.message]).toEqual(['UNAUTHORIZED', 'Invalid username or password']);
    const status = await anonymous(hearth).auth.registration.query({ link: { kind: 'reset', token: carol.setPassword!.token } });
    expect(status.link).toEqual({ kind: 'reset', problem: null, username: 'carol', purpose: 'set' });
    const signedIn = await anonymous(hearth).auth.usePasswordLink.mutate({ token: carol.setPassword!.token, password: 'carols new password' });
    expect(signedIn.user.username).toBe('carol');
    await expect(anonymous(hearth).auth.login.mutate({ username: 'carol', password: 'carols new password' })).resolves.toHaveProperty('token');

    expect((await rejection(root.api.admin.users.create.mutate({ username: 'BOB', password: PASSWORD }))).data?.code).toBe('CONFLICT');
    expect((await rejection(root.api.admin.users.create.mutate({ username: 'a b' }))).data?.code).toBe('BAD_REQUEST');
    expect((await rejection(root.api.admin.users.create.mutate({ username: 'dave', password: 'short' }))).data?.code).toBe('BAD_REQUEST');
    const member = hearth.client({ token: (await anonymous(hearth).auth.login.mutate({ username: 'bob', password: PASSWORD })).token }).trpc;
    expect((await rejection(member.admin.users.create.mutate({ username: 'eve', password: PASSWORD }))).data?.code).toBe('FORBIDDEN');
    expect(await userCount(hearth)).toBe(3);
  });

  it('admin creations and invitations draw from ADMIN_ACTIONS_PER_MINUTE', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { ADMIN_ACTIONS_PER_MINUTE: '2' } });
    const { root } = await people(hearth, 'root');
    await root.api.admin.invites.create.mutate({});
    await root.api.admin.users.create.mutate({ username: 'bob' });
    const limited = await rejection(root.api.admin.invites.create.mutate({}));
    expect([limited.data?.code, (limited.data as { limit?: string }).limit]).toEqual(['TOO_MANY_REQUESTS', 'admin']);
    expect(await root.api.admin.invites.list.query()).toHaveLength(1);
  });
});
