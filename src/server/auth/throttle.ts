import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';

interface Failures {
  count: number;
  firstAt: number;
  lockedUntil: number;
}

/**
 * Counts failed logins per account name (known or not, so the throttle itself
 * reveals nothing). After `maxFailures` inside the window the account is locked
 * for `lockoutMs`, correct password or not. Memory is bounded: entries expire.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  assertAllowed(account: string): void {
    const entry = this.current(account);
    if (entry && entry.lockedUntil > this.clock.now()) {
      const retryAfterMs = entry.lockedUntil - this.clock.now();
      throw new AppError('TOO_MANY_REQUESTS', 'Too many failed logins for this account; try again later', {
        retryAfterMs,
      });
    }
  }

  recordFailure(account: string): void {
    const now = this.clock.now();
    const entry = this.current(account) ?? { count: 0, firstAt: now, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= this.maxFailures) entry.lockedUntil = now + this.lockoutMs;
    this.failures.set(account, entry);
    if (this.failures.size > 10_000) this.sweep();
  }

  recordSuccess(account: string): void {
    this.failures.delete(account);
  }

  private current(account: string): Failures | undefined {
    const entry = this.failures.get(account);
    if (entry && this.expired(entry)) {
      this.failures.delete(account);
      return undefined;
    }
    return entry;
  }

  private expired(entry: Failures): boolean {
    const now = this.clock.now();
    return entry.lockedUntil <= now && entry.firstAt + this.lockoutMs <= now;
  }

  private sweep(): void {
    for (const [account, entry] of this.failures) if (this.expired(entry)) this.failures.delete(account);
  }
}
