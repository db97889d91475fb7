import { describe, expect, it } from 'vitest';
import { describeDevice } from '../src/server/auth/devices.ts';
import { people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, TestClock, type TestServer } from './helpers/server.ts';

const PASSWORD = 'correct horse battery';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Logs in over HTTP as a browser with this User-Agent would. */
async function loginWith(hearth: TestServer, username: string, userAgent: string, password = PASSWORD) {
  const response = await fetch(`${hearth.url}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ username, password }),
  });
  return ((await response.json()) as { result: { data: { token: string } } }).result.data.token;
}

/** A socket signed in with `token`, counting the times the server ended its session (4401). */
function socketOf(hearth: TestServer, token: string) {
  const state = { ended: 0 };
  const client = hearth.client({ token, transport: 'ws', onAuthFailure: () => state.ended++ });
  return { client, state };
}

describe('auth.changePassword', () => {
  it('needs the current password, ends my other sessions and closes their sockets, keeps this one', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const laptop = await loginWith(hearth, 'alice', CHROME_LINUX);
    const other = socketOf(hearth, laptop);
    const bobs = socketOf(hearth, bob.token);
    await other.client.trpc.auth.me.query();
    await bobs.client.trpc.auth.me.query();

    const wrong = await rejection(alice.api.auth.changePassword.mutate({ currentPassword: 'not it at all', newPassword: 'a brand new password' }));
    expect([wrong.data?.code, wrong.message]).toEqual(['FORBIDDEN', 'The current password is not right']);
    const short = await rejection(alice.api.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'short' }));
    expect(short.data?.code).toBe('BAD_REQUEST');
    await expect(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: PASSWORD })).resolves.toHaveProperty('token');

    expect(await alice.api.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'a brand new password' })).toEqual({ endedSessions: 2 });
    await until(() => other.state.ended === 1);
    expect((await rejection(hearth.client({ token: laptop }).trpc.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    await expect(alice.api.auth.me.query()).resolves.toMatchObject({ username: 'alice' }); // this session stays
    await expect(bobs.client.trpc.auth.me.query()).resolves.toMatchObject({ username: 'bob' }); // nobody else's
    expect(bobs.state.ended).toBe(0);
    expect((await rejection(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: PASSWORD }))).data?.code).toBe('UNAUTHORIZED');
    await expect(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: 'a brand new password' })).resolves.toHaveProperty('token');
  });

  it('account changes draw from ACCOUNT_CHANGES_PER_MINUTE per person', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { ACCOUNT_CHANGES_PER_MINUTE: '2' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await alice.api.auth.setDisplayName.mutate({ displayName: 'A' });
    await alice.api.auth.changePassword.mutate({ currentPassword: 'wrong password', newPassword: 'whatever long' }).catch(() => undefined);
    const limited = await rejection(alice.api.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'a brand new password' }));
    expect([limited.data?.code, (limited.data as { limit?: string }).limit]).toEqual(['TOO_MANY_REQUESTS', 'account']);
    await expect(bob.api.auth.setDisplayName.mutate({ displayName: 'B' })).resolves.toMatchObject({ displayName: 'B' });
    await expect(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: PASSWORD })).resolves.toHaveProperty('token');
  });
});

describe('auth.setDisplayName', () => {
  it('changes my name, bounded and visible; open sockets of mine see it at once; bad names change nothing', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const socket = socketOf(hearth, alice.token);
    await socket.client.trpc.auth.me.query();
    await expect(alice.api.auth.setDisplayName.mutate({ displayName: '  Alice Liddell ' })).resolves.toMatchObject({ displayName: 'Alice Liddell' });
    await until(async () => (await socket.client.trpc.auth.me.query()).displayName === 'Alice Liddell');
    expect((await bob.api.users.search.query({ query: 'alice' })).map((u) => u.displayName)).toEqual(['Alice Liddell']);
    for (const displayName of ['', '   ', 'x'.repeat(65), 'Al\u202Eice']) {
      expect((await rejection(alice.api.auth.setDisplayName.mutate({ displayName }))).data?.code, JSON.stringify(displayName)).toBe('BAD_REQUEST');
    }
    expect((await alice.api.auth.me.query()).displayName).toBe('Alice Liddell');
  });
});

describe('my sessions', () => {
  it('lists my live sessions with device, created and last seen, marks this one, and ends one, the others or all', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    clock.advance(1000);
    const chrome = await loginWith(hearth, 'alice', CHROME_LINUX);
    clock.advance(1000);
    const firefox = await loginWith(hearth, 'alice', FIREFOX_MAC);
    const viaChrome = hearth.client({ token: chrome }).trpc;
    const sessions = await viaChrome.auth.sessions.query();
    expect(sessions.map((s) => [s.device, s.current])).toEqual([
      ['Firefox on macOS', false],
      ['Chrome on Linux', true],
      ['Other client', false], // the test client's own registration (Node's fetch)
    ]);
    expect(sessions[1]).toMatchObject({ createdAt: new Date(clock.now() - 1000).toISOString(), lastSeenAt: new Date(clock.now() - 1000).toISOString() });

    // Last seen moves once a minute at most.
    clock.advance(30_000);
    await viaChrome.auth.me.query();
    expect((await viaChrome.auth.sessions.query())[1]!.lastSeenAt).toBe(new Date(clock.now() - 31_000).toISOString());
    clock.advance(31_000);
    await viaChrome.auth.me.query();
    expect((await viaChrome.auth.sessions.query())[1]!.lastSeenAt).toBe(new Date(clock.now()).toISOString());

    // Another person's session is not mine to end.
    const bobSession = (await bob.api.auth.sessions.query())[0]!;
    expect((await rejection(viaChrome.auth.endSessions.mutate({ sessionId: bobSession.id }))).data?.code).toBe('NOT_FOUND');
    expect((await rejection(viaChrome.auth.endSessions.mutate({ sessionId: 'not-an-id' }))).data?.code).toBe('BAD_REQUEST');

    const firefoxSocket = socketOf(hearth, firefox);
    await firefoxSocket.client.trpc.auth.me.query();
    expect(await viaChrome.auth.endSessions.mutate({ sessionId: sessions[0]!.id })).toEqual({ ended: 1, endedThis: false });
    await until(() => firefoxSocket.state.ended === 1);
    expect((await rejection(viaChrome.auth.endSessions.mutate({ sessionId: sessions[0]!.id }))).data?.code).toBe('NOT_FOUND');

    const registration = socketOf(hearth, alice.token);
    await registration.client.trpc.auth.me.query();
    expect(await viaChrome.auth.endSessions.mutate({ which: 'others' })).toEqual({ ended: 1, endedThis: false });
    await until(() => registration.state.ended === 1);
    expect((await viaChrome.auth.sessions.query()).map((s) => s.current)).toEqual([true]);

    expect(await viaChrome.auth.endSessions.mutate({ which: 'all' })).toEqual({ ended: 1, endedThis: true });
    expect((await rejection(viaChrome.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    await expect(bob.api.auth.me.query()).resolves.toMatchObject({ username: 'bob' });
  });

  it('names devices from their User-Agent', () => {
    expect(describeDevice(CHROME_LINUX)).toBe('Chrome on Linux');
    expect(describeDevice(FIREFOX_MAC)).toBe('Firefox on macOS');
    expect(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1')).toBe(
      'Safari on iPhone',
    );
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0')).toBe('Edge on Windows');
    expect(describeDevice('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36')).toBe('Chrome on Android');
    expect(describeDevice(null)).toBe('Unknown device');
  });
});

describe('password-reset links', () => {
  it('an admin issues one; it sets a new password once, ends every session of the person and signs the browser in', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock });
    const { root, bob } = await people(hearth, 'root', 'bob');
    const bobSocket = socketOf(hearth, bob.token);
    await bobSocket.client.trpc.auth.me.query();
    expect((await rejection(bob.api.admin.users.resetLink.mutate({ userId: root.id }))).data?.code).toBe('FORBIDDEN');

    const first = await root.api.admin.users.resetLink.mutate({ userId: bob.id });
    const link = await root.api.admin.users.resetLink.mutate({ userId: bob.id }); // replaces the first
    expect(Date.parse(link.expiresAt) - clock.now()).toBe(24 * 3_600_000);
    const anonymous = hearth.client().trpc;
    const replaced = await rejection(anonymous.auth.usePasswordLink.mutate({ token: first.token, password: 'bobs new password' }));
    expect([replaced.data?.code, replaced.message]).toEqual(['FORBIDDEN', expect.stringContaining('not valid any more')]);
    expect((await anonymous.auth.registration.query({ link: { kind: 'reset', token: link.token } })).link).toEqual({
      kind: 'reset',
      problem: null,
      username: 'bob',
      purpose: 'reset',
    });
    expect((await rejection(anonymous.auth.usePasswordLink.mutate({ token: link.token, password: 'short' }))).data?.code).toBe('BAD_REQUEST');

    const used = await anonymous.auth.usePasswordLink.mutate({ token: link.token, password: 'bobs new password' });
    expect(used.user.username).toBe('bob');
    await until(() => bobSocket.state.ended === 1);
    expect((await rejection(bob.api.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    await expect(hearth.client({ token: used.token }).trpc.auth.me.query()).resolves.toMatchObject({ username: 'bob' });
    await expect(anonymous.auth.login.mutate({ username: 'bob', password: 'bobs new password' })).resolves.toHaveProperty('token');
    const again = await rejection(anonymous.auth.usePasswordLink.mutate({ token: link.token, password: 'another new password' }));
    expect(again.data?.code).toBe('FORBIDDEN');
  });

  it('expires; two uses at once: one wins; a deactivated person gets none; uses are rate-limited per address', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { PASSWORD_LINK_USES_PER_HOUR_PER_IP: '2' } });
    const { root, bob, carol } = await people(hearth, 'root', 'bob', 'carol');
    const anonymous = hearth.client().trpc;
    const expiring = await root.api.admin.users.resetLink.mutate({ userId: bob.id });
    clock.advance(24 * 3_600_000);
    expect((await rejection(anonymous.auth.usePasswordLink.mutate({ token: expiring.token, password: 'bobs new password' }))).message).toContain('expired');

    const link = await root.api.admin.users.resetLink.mutate({ userId: bob.id });
    const racing = await Promise.allSettled(
      ['first new password', 'second new password'].map((password) => anonymous.auth.usePasswordLink.mutate({ token: link.token, password })),
    );
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);

    await root.api.admin.users.deactivate.mutate({ userId: carol.id });
    const refused = await rejection(root.api.admin.users.resetLink.mutate({ userId: carol.id }));
    expect([refused.data?.code, refused.message]).toEqual(['BAD_REQUEST', 'This account is deactivated: reactivate it first']);

    const limited = await rejection(anonymous.auth.usePasswordLink.mutate({ token: link.token, password: 'third new password' }));
    expect([limited.data?.code, (limited.data as { limit?: string }).limit]).toEqual(['TOO_MANY_REQUESTS', 'password_link']);
  });
});
