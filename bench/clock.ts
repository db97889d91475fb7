/**
 * Microseconds on CLOCK_MONOTONIC. Every process on the machine reads the same
 * clock, so a timestamp written by a sender can be subtracted from a reading
 * taken by a receiver in another process. performance.now() is the cheap read
 * of that clock (relative to this process's start); the offset to the absolute
 * clock is fixed once, from the closest of a few paired reads (the first reads
 * are slow while V8 warms up).
 */
function measureOffsetUs(): number {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 50; i++) {
    const before = performance.now();
    const abs = Number(process.hrtime.bigint() / 1000n);
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      offset = abs - ((before + after) / 2) * 1000;
    }
  }
  return offset;
}
const offsetUs = measureOffsetUs();

export function nowUs(): number {
  return Math.round(performance.now() * 1000 + offsetUs);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
