import type { Clock } from '../lib/clock.ts';
import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import { RateLimiter } from './token-bucket.ts';
import type { LimitKind, Metrics } from '../ops/metrics.ts';

/** A RateLimiter that counts its refusals by kind, so /metrics sees every limit the same way. */
export class CountedRateLimiter extends RateLimiter {
  constructor(
    clock: Clock,
    capacity: number,
    perMinute: number,
    private readonly kind: LimitKind,
    private readonly metrics: Metrics,
  ) {
    super(clock, capacity, perMinute);
  }

  override take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const verdict = super.take(key);
    if (!verdict.ok) this.metrics.rateLimited.inc({ kind: this.kind });
    return verdict;
  }

  /** Takes a token or throws TOO_MANY_REQUESTS (see `limitError`). */
  takeOrThrow(key: string, message: string): void {
    const verdict = this.take(key);
    if (!verdict.ok) throw limitError(this.kind, message, verdict.retryAfterMs);
  }
}

/** TOO_MANY_REQUESTS; `retryAfterMs` and `limit` (which one) reach the client in error.data. */
export function limitError(kind: LimitKind, message: string, retryAfterMs: number): AppError {
  return new AppError('TOO_MANY_REQUESTS', message, { retryAfterMs, limit: kind });
}

/** The per-user and per-address token buckets, built once from config. */
export interface RateLimits {
  /** Messages per user, across all their connections. */
  messages: CountedRateLimiter;
  /** Typing starts per user (dropped quietly by TypingTracker, counted here). */
  typing: CountedRateLimiter;
  /** New WebSocket connections per client address. */
  wsConnects: CountedRateLimiter;
  /** New WebSocket connections per user: those it admits are charged to the user, not the address (ws/admission.ts). */
  wsUserConnects: RateLimiter;
  /** Login attempts per client address (per account: LoginThrottle). */
  loginsPerIp: CountedRateLimiter;
  /** Writes that take a seq or fan out, per user (api/write-limits.ts names which). */
  edits: CountedRateLimiter;
  roomChanges: CountedRateLimiter;
  receipts: CountedRateLimiter;
  adminActions: CountedRateLimiter;
  /** auth.register per client address. */
  registrations: CountedRateLimiter;
  /** Changes to one's own account (password, name, sessions), per user. */
  accountChanges: CountedRateLimiter;
  /** Uses of password links, per client address. */
  passwordLinks: CountedRateLimiter;
  /** Contact requests, answers and blocks, per user. */
  contactRequests: CountedRateLimiter;
  /** messages.react, per user. */
  reactions: CountedRateLimiter;
}

export function createRateLimits(config: Config, clock: Clock, metrics: Metrics): RateLimits {
  const limiter = (kind: LimitKind, capacity: number, perMinute: number) => new CountedRateLimiter(clock, capacity, perMinute, kind, metrics);
  return {
    messages: limiter('message', config.MESSAGE_BURST, config.MESSAGES_PER_MINUTE),
    typing: limiter('typing', config.TYPING_STARTS_PER_MINUTE, config.TYPING_STARTS_PER_MINUTE),
    wsConnects: limiter('ws_connect', config.WS_CONNECTS_PER_MINUTE_PER_IP, config.WS_CONNECTS_PER_MINUTE_PER_IP),
    wsUserConnects: new RateLimiter(clock, config.WS_CONNECTS_PER_MINUTE_PER_USER, config.WS_CONNECTS_PER_MINUTE_PER_USER),
    loginsPerIp: limiter('login_ip', config.LOGIN_ATTEMPTS_PER_MINUTE_PER_IP, config.LOGIN_ATTEMPTS_PER_MINUTE_PER_IP),
    edits: limiter('edit', config.EDITS_PER_MINUTE, config.EDITS_PER_MINUTE),
    roomChanges: limiter('room_change', config.ROOM_CHANGES_PER_MINUTE, config.ROOM_CHANGES_PER_MINUTE),
    receipts: limiter('receipt', config.RECEIPTS_PER_MINUTE, config.RECEIPTS_PER_MINUTE),
    adminActions: limiter('admin', config.ADMIN_ACTIONS_PER_MINUTE, config.ADMIN_ACTIONS_PER_MINUTE),
    registrations: limiter('register', config.REGISTRATIONS_PER_HOUR_PER_IP, config.REGISTRATIONS_PER_HOUR_PER_IP / 60),
    accountChanges: limiter('account', config.ACCOUNT_CHANGES_PER_MINUTE, config.ACCOUNT_CHANGES_PER_MINUTE),
    passwordLinks: limiter('password_link', config.PASSWORD_LINK_USES_PER_HOUR_PER_IP, config.PASSWORD_LINK_USES_PER_HOUR_PER_IP / 60),
    contactRequests: limiter('contact', config.CONTACT_REQUESTS_PER_MINUTE, config.CONTACT_REQUESTS_PER_MINUTE),
    reactions: limiter('reaction', config.REACTIONS_PER_MINUTE, config.REACTIONS_PER_MINUTE),
  };
}
