/** What `next()` returns after the queue dropped events because it was full. */
export const OVERFLOW = Symbol('overflow');

/**
 * A bounded FIFO between a bus listener (push, synchronous) and one async
 * consumer. If the consumer falls `capacity` behind, the backlog is dropped and
 * the consumer is told (OVERFLOW), so it can recover durable events from the
 * database instead of the process holding an unbounded buffer.
 */
export class EventQueue<T> {
  private items: T[] = [];
  private head = 0;
  private overflowed = false;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(private readonly capacity = 10_000) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.items.length - this.head >= this.capacity) {
      this.items = [];
      this.head = 0;
      this.overflowed = true;
    } else {
      this.items.push(item);
    }
    this.notify();
  }

  /** Tells the consumer to resynchronise (as after an overflow) without dropping anything. */
  interrupt(): void {
    this.overflowed = true;
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  /** The next item, OVERFLOW, or undefined once closed. */
  async next(): Promise<T | typeof OVERFLOW | undefined> {
    for (;;) {
      if (this.overflowed) {
        this.overflowed = false;
        return OVERFLOW;
      }
      if (this.head < this.items.length) {
        const item = this.items[this.head++]!;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        return item;
      }
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
