/**
 * One connection's allowance of live subscriptions
 * (MAX_SUBSCRIPTIONS_PER_CONNECTION), shared by the room fast path and the
 * subscriptions tRPC serves itself, so neither can be used to get round it.
 */
export class SubscriptionSlots {
  private used = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.used;
  }

  /** A release function (safe to call twice), or null when the connection is full. */
  take(): (() => void) | null {
    if (this.used >= this.max) return null;
    this.used += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.used -= 1;
    };
  }
}

/**
 * The subscription's stream, releasing its slot however it ends: run out,
 * failed, stopped by the client (tRPC calls `return()`), or dropped before its
 * first item (a generator's own `finally` would not run then, which is why
 * this is an iterator rather than an async generator). Counts each item sent.
 */
export function holdUntilDone<T>(stream: AsyncIterable<T>, release: () => void, onItem: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = stream[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const step = await inner.next();
            if (step.done) release();
            else onItem();
            return step;
          } catch (error) {
            release();
            throw error;
          }
        },
        async return(value?: unknown) {
          release();
          return (await inner.return?.(value)) ?? { done: true as const, value: undefined };
        },
        async throw(error?: unknown) {
          release();
          if (inner.throw) return inner.throw(error);
          throw error;
        },
      };
    },
  };
}
