import { nowUs } from './clock.ts';

/**
 * Message bodies carry their own send time and step: `~T<µs>~K<step>~` then
 * padding to the wanted size. A receiver finds the stamp with one indexOf on
 * the raw frame and reads it digit by digit, without parsing the JSON or
 * decoding the string: the load generator must stay cheaper than the server.
 */
const MARK = Buffer.from('~T');
const TILDE = 126;
const PAD = 'x'.repeat(10_000);

export function stampedBody(step: number, bytes: number): string {
  const stamp = `~T${nowUs()}~K${step}~`;
  return stamp + PAD.slice(0, Math.max(0, bytes - stamp.length));
}

/** The stamp in the frame at buf[start, end), or null if it carries none. */
export function readStamp(buf: Buffer, start = 0, end = buf.length): { sentUs: number; step: number } | null {
  const at = buf.indexOf(MARK, start);
  if (at < 0 || at >= end) return null;
  let j = at + 2;
  let sentUs = 0;
  let c: number;
  while (j < end && (c = buf[j++]!) !== TILDE) sentUs = sentUs * 10 + (c - 48);
  j++; // 'K'
  let step = 0;
  while (j < end && (c = buf[j++]!) !== TILDE) step = step * 10 + (c - 48);
  return { sentUs, step };
}
