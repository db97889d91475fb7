import { until } from './raw-ws.ts';

/** One more known event, caused after the ones under test, that the recorder will see. */
export interface Sentinel<T> {
  cause(): unknown;
  is(item: T): boolean;
}

/**
 * "Nothing more arrives" without a sleep: cause the sentinel, wait until it is
 * recorded, and return what was recorded before it. Delivery is ordered (per
 * channel, per socket), so anything the events under test were going to
 * produce is already in the returned list; a slow server makes the wait
 * longer, never the check vacuous. Assert on the result with toEqual.
 */
export async function recordedBefore<T>(recorded: readonly T[], sentinel: Sentinel<T>, timeoutMs = 5000): Promise<T[]> {
  await sentinel.cause();
  await until(() => recorded.some(sentinel.is), timeoutMs);
  return recorded.slice(0, recorded.findIndex(sentinel.is));
}
