import type { Clock } from '../lib/clock.ts';

/**
 * Live figures for the admin page: gauges kept by the transports, a message
 * counter, and messages per second over the last 10 seconds.
 */
export class Stats {
  connections = 0;
  subscriptions = 0;
  messagesTotal = 0;
  private readonly startedAt: number;
  private readonly perSecond = new Map<number, number>();

  constructor(private readonly clock: Clock) {
    this.startedAt = clock.now();
  }

  messageSent(): void {
    this.messagesTotal += 1;
    const second = Math.floor(this.clock.now() / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    if (this.perSecond.size > 20) {
      for (const key of this.perSecond.keys()) if (key < second - 10) this.perSecond.delete(key);
    }
  }

  /** Average over the last 10 whole seconds. */
  messagesPerSecond(): number {
    const now = Math.floor(this.clock.now() / 1000);
    let sum = 0;
    for (let s = now - 10; s < now; s++) sum += this.perSecond.get(s) ?? 0;
    return sum / 10;
  }

  /** Counts a subscription for as long as the stream runs. */
  async *track<T>(stream: AsyncGenerator<T>): AsyncGenerator<T> {
    this.subscriptions += 1;
    try {
      yield* stream;
    } finally {
      this.subscriptions -= 1;
    }
  }

  uptimeSeconds(): number {
    return Math.round((this.clock.now() - this.startedAt) / 1000);
  }
}
