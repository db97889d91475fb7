import { limitError, type RateLimits } from '../limits/rate-limits.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { LoginThrottle } from './throttle.ts';

export type LoginGuardDeps = {
  limits: Pick<RateLimits, 'loginsPerIp'>;
  loginThrottle: LoginThrottle;
  metrics: Pick<Metrics, 'rateLimited' | 'authFailures'>;
};

const MESSAGES = {
  login_account: 'Too many failed logins for this account; try again later',
  login_slowdown: 'This account is slowed down after many failed logins',
} as const;

/**
 * Before any password work: the client address's bucket
 * (LOGIN_ATTEMPTS_PER_MINUTE_PER_IP), then the account's throttle from this
 * address (LoginThrottle). The address comes first so that spraying guesses
 * across many accounts costs the sprayer, not our Argon2 time. An admitted
 * attempt counts as a failure until `recordLoginSuccess` says otherwise.
 */
export function assertLoginAllowed(deps: LoginGuardDeps, { account, ip }: { account: string; ip?: string }): void {
  if (ip) deps.limits.loginsPerIp.takeOrThrow(ip, 'Too many login attempts from this address; try again later');
  const refusal = deps.loginThrottle.admit(account, ip ?? 'unknown');
  if (refusal) {
    deps.metrics.rateLimited.inc({ kind: refusal.limit });
    throw limitError(refusal.limit, MESSAGES[refusal.limit], refusal.retryAfterMs);
  }
}

export function recordLoginFailure(deps: LoginGuardDeps): void {
  deps.metrics.authFailures.inc({ reason: 'login' });
}

export function recordLoginSuccess(deps: LoginGuardDeps, { account, ip }: { account: string; ip?: string }): void {
  deps.loginThrottle.succeeded(account, ip ?? 'unknown');
}
