import crypto from 'node:crypto';

/**
 * A random UUID as a flat string. Node builds `randomUUID()` by concatenation,
 * and V8 keeps such a string as a tree of pieces: ~490 bytes per id held in
 * memory, against ~60 once flattened (reading a character flattens it in place).
 */
export function newId(): string {
  return flat(crypto.randomUUID());
}

/** Random bytes drawn 256 ids at a time: one call into the system's generator per batch. */
const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits. Rows keyed
 * by it are inserted at the end of their index rather than at a random place,
 * so a group of new messages dirties one index page instead of one each, and
 * the write-ahead log writes that much less per commit.
 */
export function newTimeOrderedId(now = Date.now()): string {
  if (poolOffset === pool.length) {
    crypto.randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return flat(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
}

function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
