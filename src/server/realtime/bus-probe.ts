import crypto from 'node:crypto';
import type { EventBus } from './bus.ts';

/**
 * Seconds for an event to go round the bus: published here, heard here. With
 * Redis that is the round trip plus whatever queue Redis or our subscriber
 * connection has built up; in memory it is close to zero. The probe listens on
 * a private channel only while it runs, so listener counts stay exact, and it
 * sends a real event shape because the Redis bus drops anything else.
 * Reports `timeoutMs` (as seconds) when the probe never comes back.
 */
export async function busRoundTrip(bus: EventBus, timeoutMs = 2000): Promise<number> {
  const id = crypto.randomUUID();
  const channel = `probe:${id}`;
  let heard!: () => void;
  const arrived = new Promise<void>((resolve) => (heard = resolve));
  const unsubscribe = bus.subscribe(channel, () => heard());
  let timer: NodeJS.Timeout | undefined;
  try {
    await bus.whenSubscribed(channel);
    const start = performance.now();
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await bus.publish(channel, { type: 'presence', roomId: id, online: [] });
    await Promise.race([arrived, timedOut]);
    return Math.min(performance.now() - start, timeoutMs) / 1000;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
