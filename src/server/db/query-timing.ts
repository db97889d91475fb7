import type { Db } from './client.ts';
import type { SqliteFastPath } from './sqlite-fast.ts';
import type { Metrics } from '../ops/metrics.ts';

/**
 * Times every database call for /metrics, from the caller's side (so a wait
 * for SQLite's write gate counts: that is latency too). Prisma calls go
 * through a query extension; the SQLite fast path, which bypasses Prisma,
 * through a proxy over its methods. Nothing else changes: same client, same
 * errors, same transactions.
 */
export function timeQueries(opened: { db: Db; fast?: SqliteFastPath }, metrics: Metrics): { db: Db; fast?: SqliteFastPath } {
  const observe = (operation: string, start: number) =>
    metrics.dbQueries.observe({ operation }, (performance.now() - start) / 1000);

  const db = opened.db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const start = performance.now();
        try {
          return await query(args);
        } finally {
          observe(model ? `${model}.${operation}` : operation, start);
        }
      },
    },
  }) as unknown as Db; // the same client as far as the domain can tell

  const fast = opened.fast && timedFastPath(opened.fast, observe);
  return { db, fast };
}

function timedFastPath(fast: SqliteFastPath, observe: (operation: string, start: number) => void): SqliteFastPath {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(fast, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (!wrapped.has(property)) {
        const operation = `fast.${property}`;
        wrapped.set(property, (...args: unknown[]) => {
          const start = performance.now();
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.finally(() => observe(operation, start));
        });
      }
      return wrapped.get(property);
    },
  });
}
