import type { Metrics } from '../ops/metrics.ts';
import type { SubscriptionSlots } from '../realtime/subscription-slots.ts';

/**
 * A subscription other than the room stream (which holds its own): takes one
 * of the connection's slots (TOO_MANY_REQUESTS when none is left) and holds
 * it until the stream ends, counting each item sent.
 */
export function holdSlot<T>(
  ctx: { subscriptions?: SubscriptionSlots; services: { metrics: Pick<Metrics, 'delivered' | 'subscriptionsRefused'> } },
  stream: AsyncIterable<T>,
): AsyncIterable<T> {
  const slots = ctx.subscriptions;
  const { metrics } = ctx.services;
  if (slots && !slots.take()) {
    metrics.subscriptionsRefused.inc();
    throw slots.full();
  }
  let held = slots !== undefined;
  const release = () => {
    if (held) slots?.release();
    held = false;
  };
  return holdUntilDone(stream, release, () => metrics.delivered());
}

/**
 * The subscription's stream, releasing its slot however it ends: run out,
 * failed, stopped by the client (tRPC calls `return()`), or dropped before its
 * first item (a generator's own `finally` would not run then, which is why
 * this is an iterator rather than an async generator). Counts each item sent.
 */
function holdUntilDone<T>(stream: AsyncIterable<T>, release: () => void, onItem: () => void): AsyncIterable<T> {
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
