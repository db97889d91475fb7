import type { Services } from '../services.ts';

type Deps = Pick<Services, 'limits' | 'loginThrottle' | 'metrics'>;

/**
 * Before any password work: the client address's bucket
 * (LOGIN_ATTEMPTS_PER_MINUTE_PER_IP), then the account's lock
 * (LOGIN_MAX_FAILURES). The address comes first so that spraying guesses
 * across many accounts costs the sprayer, not our Argon2 time.
 */
export function assertLoginAllowed(deps: Deps, { account, ip }: { account: string; ip?: string }): void {
  if (ip) deps.limits.loginsPerIp.takeOrThrow(ip, 'Too many login attempts from this address; try again later');
  try {
    deps.loginThrottle.assertAllowed(account);
  } catch (error) {
    deps.metrics.rateLimited.inc({ kind: 'login_account' });
    throw error;
  }
}

export function recordLoginFailure(deps: Deps, account: string): void {
  deps.loginThrottle.recordFailure(account);
  deps.metrics.authFailures.inc({ reason: 'login' });
}
