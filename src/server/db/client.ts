import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Database } from 'better-sqlite3';
import { betterSqliteHandleOf } from '../adapters/prisma.ts';
import { PrismaClient } from './generated/client.ts';
import { migratePostgres } from './migrate-postgres.ts';
import { migrateSqlite } from './migrate.ts';
import { Gate, serialized } from './serialized-adapter.ts';
import { sqlitePath } from './sqlite.ts';

export type Db = PrismaClient;

/**
 * Writers to one room queue on its row lock (PostgreSQL) or the write gate
 * (SQLite); under a burst the default 2 s wait for a transaction is too short
 * and a send would fail that only had to wait its turn.
 */
const transactionOptions = { maxWait: 10_000, timeout: 15_000 };
export { Prisma } from './generated/client.ts';

/** SQLite: Prisma's one connection and the gate every query on it takes. */
export interface SqliteConnection {
  handle: Database;
  gate: Gate;
}

/**
 * Opens (creating and migrating as needed) the database named by DATABASE_URL.
 * The server calls this once (through store/open.ts) and hands the store to
 * every transport, so HTTP and WebSocket requests share one connection pool.
 */
export async function openDatabase(databaseUrl: string): Promise<{ db: Db; sqlite?: SqliteConnection }> {
  if (databaseUrl.startsWith('postgres')) return { db: await openPostgres(databaseUrl) };
  migrateSqlite(databaseUrl);
  const gate = new Gate();
  let handle: Database | undefined;
  const adapter = serialized(new PrismaBetterSQLite3({ url: `file:${sqlitePath(databaseUrl)}`, timeout: 5000 }), gate, (a) => {
    handle = betterSqliteHandleOf(a);
  });
  const db = new PrismaClient({ adapter, transactionOptions });
  // Per-connection settings: WAL needs only NORMAL sync to be crash-safe for
  // committed transactions (a power cut may lose the last ones, a crash does not).
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  if (!handle) throw new Error('Prisma did not open the SQLite connection');
  return { db, sqlite: { handle, gate } };
}

/**
 * PostgreSQL through Prisma's pg driver adapter. Its client is generated from
 * the derived schema (prisma/postgres/schema.prisma: the same models), so it
 * has the same shape as the SQLite client the store is typed against.
 */
async function openPostgres(databaseUrl: string): Promise<Db> {
  await migratePostgres(databaseUrl);
  const { PrismaClient: PostgresClient } = await import('./generated-pg/client.ts');
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 20 }), transactionOptions });
  await db.$queryRawUnsafe('SELECT 1');
  return db as unknown as Db;
}
