import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newId, newTimeOrderedId } from '../src/server/lib/ids.ts';

describe('ids', () => {
  it('newTimeOrderedId gives valid, unique UUIDv7s that sort by their millisecond', () => {
    const start = Date.UTC(2026, 10, 22);
    const ids = Array.from({ length: 10_000 }, (_, i) => newTimeOrderedId(start + Math.floor(i / 100)));
    for (const id of ids.slice(0, 200)) expect(z.uuid().safeParse(id).success).toBe(true);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const millis = ids.map((id) => parseInt(id.replace(/-/g, '').slice(0, 12), 16));
    expect(millis[0]).toBe(start);
    expect(millis.at(-1)).toBe(start + 99);
    // Across milliseconds the order is the time order (within one, it is random).
    const firstOfEach = ids.filter((_, i) => i % 100 === 0);
    expect([...firstOfEach].sort()).toEqual(firstOfEach);
  });

  it('newId gives random v4 UUIDs', () => {
    const ids = Array.from({ length: 1000 }, newId);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(1000);
  });
});
