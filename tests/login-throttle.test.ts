import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/server/auth/throttle.ts';
import { configWith } from '../src/server/app/config.ts';
import type { WireAnswer } from './helpers/errors.ts';
import { metric } from './helpers/metrics.ts';
import { startServer, TestClock, type TestServer } from './helpers/server.ts';

const PASSWORD = 'correct horse battery';

/** auth.login from a client address (the proxy on 127.0.0.1 that TRUST_PROXY=loopback believes says who). */
async function login(hearth: TestServer, address: string, password: string, username = 'alice') {
  const response = await fetch(`${hearth.url}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as WireAnswer;
  if (response.status === 200) return 'signed in';
  const { code, limit, retryAfterMs } = body.error?.data ?? { code: 'NO_ERROR' };
  return code === 'TOO_MANY_REQUESTS' ? { limit, retryAfterMs } : code;
}

const ATTACKER = '203.0.113.66';
const HOME = '198.51.100.10';
const CAFE = '192.0.2.77';

async function aliceUnderAttack(env: Record<string, string> = {}) {
  const clock = new TestClock();
  const hearth = await startServer({ clock, env: { LOGIN_MAX_FAILURES: '5', LOGIN_LOCKOUT_SECONDS: '900', ...env } });
  await hearth.register('alice', PASSWORD);
  expect(await login(hearth, HOME, PASSWORD)).toBe('signed in'); // Alice's usual address
  for (let i = 0; i < 5; i++) expect(await login(hearth, ATTACKER, `guess ${i}`)).toBe('UNAUTHORIZED');
  return { clock, hearth };
}

describe('failed logins, per account and address', () => {
  it("lock the attacker's address out of the account; the owner still signs in from home at once", async () => {
    const { clock, hearth } = await aliceUnderAttack();
    // The attacker's sixth try is refused before any password work, even the right password.
    expect(await login(hearth, ATTACKER, PASSWORD)).toEqual({ limit: 'login_account', retryAfterMs: 900_000 });
    expect(await metric(hearth, 'hearth_auth_failures_total', { reason: 'login' })).toBe(5);
    expect(await login(hearth, HOME, PASSWORD)).toBe('signed in');
    clock.advance(899_999);
    expect(await login(hearth, ATTACKER, PASSWORD)).toEqual({ limit: 'login_account', retryAfterMs: 1 });
    clock.advance(1);
    expect(await login(hearth, ATTACKER, PASSWORD)).toBe('signed in');
  });

  it('slow the account for addresses it does not know: one attempt per delay, doubling, refusals not counted', async () => {
    const { clock, hearth } = await aliceUnderAttack();
    // Five failures in all: a new address waits 1 s, however often it asks meanwhile.
    expect(await login(hearth, CAFE, PASSWORD)).toEqual({ limit: 'login_slowdown', retryAfterMs: 1000 });
    clock.advance(400);
    expect(await login(hearth, CAFE, 'typo')).toEqual({ limit: 'login_slowdown', retryAfterMs: 600 });
    expect(await metric(hearth, 'hearth_rate_limited_total', { kind: 'login_slowdown' })).toBe(2);
    expect(await metric(hearth, 'hearth_auth_failures_total', { reason: 'login' })).toBe(5);
    clock.advance(600);
    expect(await login(hearth, CAFE, 'typo')).toBe('UNAUTHORIZED'); // the sixth failure: the wait doubles
    expect(await login(hearth, CAFE, PASSWORD)).toEqual({ limit: 'login_slowdown', retryAfterMs: 2000 });
    clock.advance(2000);
    expect(await login(hearth, CAFE, PASSWORD)).toBe('signed in');
    // That success cleared the slowdown: a third address goes straight in.
    expect(await login(hearth, '192.0.2.78', PASSWORD)).toBe('signed in');
  });

  it('double the wait up to LOGIN_SLOWDOWN_MAX_SECONDS; a success from a known address resets it for everyone', async () => {
    const { clock, hearth } = await aliceUnderAttack({ LOGIN_SLOWDOWN_MAX_SECONDS: '5' });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const address = `203.0.113.${i + 1}`; // a botnet: every address fresh
      const refused = (await login(hearth, address, PASSWORD)) as { retryAfterMs: number };
      waits.push(refused.retryAfterMs);
      clock.advance(refused.retryAfterMs);
      expect(await login(hearth, address, `guess ${i}`)).toBe('UNAUTHORIZED');
    }
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(await login(hearth, CAFE, PASSWORD)).toEqual({ limit: 'login_slowdown', retryAfterMs: 5000 });
    expect(await login(hearth, HOME, PASSWORD)).toBe('signed in');
    expect(await login(hearth, CAFE, PASSWORD)).toBe('signed in');
  });

  it('are forgotten LOGIN_LOCKOUT_SECONDS after the last one; known addresses are remembered for the session lifetime', async () => {
    const { clock, hearth } = await aliceUnderAttack({ SESSION_TTL_DAYS: '1' });
    clock.advance(900_000);
    expect(await login(hearth, CAFE, 'typo')).toBe('UNAUTHORIZED'); // failure one of a new count: no slowdown
    expect(await login(hearth, CAFE, PASSWORD)).toBe('signed in');
    for (let i = 0; i < 5; i++) expect(await login(hearth, ATTACKER, `guess ${i}`)).toBe('UNAUTHORIZED');
    expect(await login(hearth, HOME, PASSWORD)).toBe('signed in'); // home signed in within the day
    clock.advance(86_400_000);
    for (let i = 0; i < 5; i++) expect(await login(hearth, `203.0.113.${i + 1}`, `guess ${i}`)).toBe('UNAUTHORIZED');
    expect(await login(hearth, HOME, PASSWORD)).toEqual({ limit: 'login_slowdown', retryAfterMs: 1000 });
  });

  it('cannot be outrun by sending guesses together: at most LOGIN_MAX_FAILURES are checked', async () => {
    const { hearth } = await aliceUnderAttack();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(hearth, '203.0.113.99', `guess ${i}`, 'carol')));
    expect(answers.filter((a) => a === 'UNAUTHORIZED')).toHaveLength(5);
    expect(answers.filter((a) => typeof a === 'object' && a.limit === 'login_account')).toHaveLength(7);
  });

  it('hold a bounded number of entries, however many addresses and names are tried', () => {
    const clock = new TestClock();
    const throttle = new LoginThrottle(clock, configWith());
    for (let i = 0; i < 120_000; i++) throttle.admit(`user${i}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    for (let i = 0; i < 60_000; i++) throttle.succeeded(`user${i}`, `10.0.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.size).toBeLessThanOrEqual(150_000);
    // The newest entries are the ones kept: the last name tried is still counted.
    for (let i = 0; i < 4; i++) expect(throttle.admit('user119999', '10.1.212.191')).toBeNull();
    expect(throttle.admit('user119999', '10.1.212.191')).toMatchObject({ limit: 'login_account' });
  });
});
