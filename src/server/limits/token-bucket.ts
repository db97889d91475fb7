import type { Clock } from '../lib/clock.ts';

/**
 * Token buckets keyed by who is acting: `capacity` tokens, refilled at
 * `perMinute`. Idle keys are forgotten, so memory follows active users.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refillPerMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly capacity: number,
    perMinute: number,
  ) {
    this.refillPerMs = perMinute / 60_000;
  }

  /** Takes a token if there is one; otherwise says how long until there will be. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.refillPerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 50_000) this.forgetFull(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.refillPerMs) };
  }

  /** Returns a token taken for an action that turned out to be someone else's to pay for. */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.capacity, bucket.tokens + 1);
  }

  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.refillPerMs >= this.capacity) this.buckets.delete(key);
    }
  }
}
