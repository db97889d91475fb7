import type { Database } from 'better-sqlite3';

/**
 * Every reach into Prisma's internals, in one place (tests/canaries/prisma.test.ts
 * fails loudly, naming the version, when one of them moves).
 *
 * The SQLite store runs its prepared statements on the very better-sqlite3
 * handle Prisma's driver adapter opened (one connection, one write gate, no
 * second writer to contend with). @prisma/adapter-better-sqlite3 keeps that
 * handle in a private `client` field; there is no public accessor.
 */
export function betterSqliteHandleOf(adapter: unknown): Database {
  const client = (adapter as { client?: Partial<Database> } | null)?.client;
  if (typeof client?.prepare !== 'function' || typeof client.transaction !== 'function') {
    throw new Error('@prisma/adapter-better-sqlite3 no longer keeps its better-sqlite3 handle in `client` (see tests/canaries/prisma.test.ts)');
  }
  return client as Database;
}

/**
 * The driver adapter methods db/serialized-adapter.ts gates: Prisma's
 * SqlDriverAdapter and its transactions, which the engine calls directly.
 */
export const gatedAdapterMethods = ['queryRaw', 'executeRaw', 'executeScript', 'startTransaction'] as const;
export const gatedTransactionMethods = ['commit', 'rollback'] as const;
