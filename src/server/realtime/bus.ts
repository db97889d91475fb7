import type { BusEvent } from './bus-events.ts';

export type BusListener = (event: BusEvent) => void;

/**
 * Publish/subscribe between the domain (which publishes after commit) and the
 * connections (which deliver). In-memory on one machine; a Redis implementation
 * shares it across instances. Delivery is best effort: durable state is always
 * recoverable from the database, never only from the bus.
 */
export interface EventBus {
  publish(channel: string, event: BusEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, listener: BusListener): () => void;
  /**
   * Resolves once events published to the channel from now on will reach its
   * listeners (Redis acknowledges SUBSCRIBE asynchronously). Streams wait for
   * it before reading the log, so nothing falls between the read and live.
   */
  whenSubscribed(channel: string): Promise<void>;
  /**
   * Called when the bus's subscribe side reconnects after a drop, during which
   * events may have been lost: listeners catch up from the database.
   */
  onReconnect(listener: () => void): () => void;
  /** Number of listeners across all channels: tests assert it returns to zero. */
  listenerCount(): number;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class MemoryEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<BusListener>>();

  async publish(channel: string, event: BusEvent): Promise<void> {
    const set = this.listeners.get(channel);
    if (!set) return;
    // Copy: a listener may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch {
        // One failing listener must not starve the others; they log their own errors.
      }
    }
  }

  subscribe(channel: string, listener: BusListener): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel);
    };
  }

  async whenSubscribed(): Promise<void> {}

  onReconnect(): () => void {
    return () => {}; // in-process delivery never drops
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
