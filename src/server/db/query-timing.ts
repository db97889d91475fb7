import type { Metrics } from '../ops/metrics.ts';
import type { Store } from '../store/store.ts';

const DOMAINS = ['accounts', 'sessions', 'links', 'rooms', 'memberships', 'messages', 'log', 'notifications', 'contacts', 'hidden', 'push'] as const;

/**
 * Times every store operation for /metrics (`messages.append`, `log.entriesAfter`,
 * the same names for both stores), from the caller's side: a wait for SQLite's
 * write gate counts, that is latency too. Each method is wrapped once, as an
 * own property of its store object, so a call costs one extra frame, no lookup.
 */
export function timeStore(store: Store, metrics: Pick<Metrics, 'dbQueries'>): Store {
  for (const domain of DOMAINS) timeMethods(store[domain], domain, metrics);
  return store;
}

function timeMethods(target: object, domain: string, metrics: Pick<Metrics, 'dbQueries'>): void {
  const record = target as Record<string, unknown>;
  for (const name of methodNames(target)) {
    const method = record[name] as (...args: unknown[]) => Promise<unknown>;
    const operation = `${domain}.${name}`;
    record[name] = function timed(this: unknown, ...args: unknown[]) {
      const start = performance.now();
      return method.apply(target, args).finally(() => metrics.dbQueries.observe({ operation }, (performance.now() - start) / 1000));
    };
  }
}

/** Its methods, own and inherited (the SQLite store's classes extend Prisma's). */
function methodNames(target: object): Set<string> {
  const names = new Set<string>();
  for (let proto: object | null = target; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof (target as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return names;
}
