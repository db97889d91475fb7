import type { Clock } from '../clock.ts';
import type { RateLimiter } from '../limits.ts';
import type { EventBus } from './bus.ts';
import { channels } from './events.ts';

const key = (roomId: string, userId: string) => `${roomId} ${userId}`;

/**
 * Who is typing where. The server owns the expiry: a typing state ends
 * `ttlMs` after its last refresh even if the client never says stop (it
 * crashed mid-sentence), and everyone hears `typing: false` then.
 * Only starts (not refreshes) count against the per-user rate limit; excess
 * starts are dropped quietly and counted.
 */
export class TypingTracker {
  private readonly expiries = new Map<string, { roomId: string; userId: string; expiresAt: number }>();
  dropped = 0;

  constructor(
    private readonly deps: { bus: EventBus; clock: Clock; limiter: RateLimiter; ttlMs: number },
  ) {}

  /** Returns false when a start was dropped by the rate limit. */
  async set({ roomId, userId, typing }: { roomId: string; userId: string; typing: boolean }): Promise<boolean> {
    const k = key(roomId, userId);
    const current = this.expiries.get(k);
    if (!typing) {
      if (current) await this.end(k, current);
      return true;
    }
    const expiresAt = this.deps.clock.now() + this.deps.ttlMs;
    if (current) {
      current.expiresAt = expiresAt; // a refresh: nothing to announce
      return true;
    }
    if (!this.deps.limiter.take(userId).ok) {
      this.dropped += 1;
      return false;
    }
    this.expiries.set(k, { roomId, userId, expiresAt });
    await this.deps.bus.publish(channels.room(roomId), { type: 'typing', roomId, userId, typing: true });
    return true;
  }

  isTyping(roomId: string, userId: string): boolean {
    return this.expiries.has(key(roomId, userId));
  }

  /** Ends every typing state past its expiry. Runs on a timer; tests call it after moving the clock. */
  async sweep(): Promise<void> {
    const now = this.deps.clock.now();
    for (const [k, entry] of this.expiries) {
      if (entry.expiresAt <= now) await this.end(k, entry);
    }
  }

  private async end(k: string, { roomId, userId }: { roomId: string; userId: string }): Promise<void> {
    this.expiries.delete(k);
    await this.deps.bus.publish(channels.room(roomId), { type: 'typing', roomId, userId, typing: false });
  }
}
