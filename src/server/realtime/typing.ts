import type { Clock } from '../lib/clock.ts';
import type { RateLimiter } from '../limits/token-bucket.ts';
import type { Logger } from '../ops/logger.ts';
import type { EventBus } from './bus.ts';
import { channels } from './bus-events.ts';
import type { TypingStore } from './typing-store.ts';

const key = (roomId: string, userId: string) => `${roomId} ${userId}`;
const parse = (k: string) => {
  const [roomId = '', userId = ''] = k.split(' ');
  return { roomId, userId };
};

/**
 * Who is typing where. The server owns the expiry: a typing state ends
 * `ttlMs` after its last refresh even if the client never says stop (it
 * crashed mid-sentence), and everyone hears `typing: false` then.
 * Only starts (not refreshes) count against the per-user rate limit; excess
 * starts are dropped quietly and counted.
 *
 * Typing is ephemeral: when its store (Redis) fails, it fails open, logs,
 * and never fails the call that asked (a send must not answer 500 after its
 * commit because "typing…" could not be looked up).
 */
export class TypingTracker {
  dropped = 0;

  constructor(private readonly deps: { bus: EventBus; clock: Clock; limiter: RateLimiter; ttlMs: number; store: TypingStore; log: Logger }) {}

  /** Returns false when a start was dropped by the rate limit. */
  async set({ roomId, userId, typing }: { roomId: string; userId: string; typing: boolean }): Promise<boolean> {
    try {
      return await this.change(roomId, userId, typing);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message, roomId }, 'typing store failed; typing state not kept');
      return true;
    }
  }

  /**
   * Sending ends "typing…" at once rather than when it would expire. Not
   * awaited by the send: the acknowledgement never waits for the store.
   */
  endAfterSend(roomId: string, userId: string): void {
    const k = key(roomId, userId);
    this.deps.store.end(k).then(
      (was) => (was ? this.announce(roomId, userId, false) : undefined),
      (err: unknown) => this.deps.log.warn({ err: (err as Error).message, roomId }, 'typing store failed after a send'),
    );
  }

  private async change(roomId: string, userId: string, typing: boolean): Promise<boolean> {
    const { store, clock } = this.deps;
    const k = key(roomId, userId);
    if (!typing) {
      if (await store.end(k)) await this.announce(roomId, userId, false);
      return true;
    }
    const now = clock.now();
    if (await store.has(k, now)) {
      await store.begin(k, now + this.deps.ttlMs, now); // a refresh: nothing to announce
      return true;
    }
    if (!this.deps.limiter.take(userId).ok) {
      this.dropped += 1;
      return false;
    }
    if (await store.begin(k, now + this.deps.ttlMs, now)) await this.announce(roomId, userId, true);
    return true;
  }

  /** Ends every typing state past its expiry. Runs on a timer; tests call it after moving the clock. */
  async sweep(): Promise<void> {
    for (const k of await this.deps.store.expired(this.deps.clock.now())) {
      const { roomId, userId } = parse(k);
      await this.announce(roomId, userId, false);
    }
  }

  close(): Promise<void> {
    return this.deps.store.close();
  }

  private announce(roomId: string, userId: string, typing: boolean): Promise<void> {
    return this.deps.bus.publish(channels.room(roomId), { type: 'typing', roomId, userId, typing });
  }
}
