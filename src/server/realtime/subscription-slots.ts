import { AppError } from '../lib/app-error.ts';

/**
 * One connection's allowance of live subscriptions
 * (MAX_SUBSCRIPTIONS_PER_CONNECTION), shared by every subscription on it,
 * however it is served, so none can be used to get round it. A counter, not
 * a token per subscription: each holder releases once (RoomStream.close,
 * holdSlot's `release`), which keeps a subscription one closure lighter.
 */
export class SubscriptionSlots {
  private used = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.used;
  }

  /** False when the connection is full. */
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    if (this.used > 0) this.used -= 1;
  }

  /** The refusal when `take()` finds the connection full. */
  full(): AppError {
    return new AppError('TOO_MANY_REQUESTS', `At most ${this.max} subscriptions per connection`);
  }
}
