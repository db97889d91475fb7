import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { migrateSqlite } from './migrate.ts';
import type { Database } from 'better-sqlite3';
import { Gate, serialized } from './serialized-adapter.ts';
import { SqliteFastPath } from './sqlite-fast.ts';
import { sqlitePath } from './sqlite.ts';

export type Db = PrismaClient;
export { Prisma } from './generated/client.ts';

/**
 * Opens (creating and migrating as needed) the database named by DATABASE_URL.
 * The server calls this once and hands the client to every transport, so HTTP
 * and WebSocket requests share one connection pool.
 */
export async function openDatabase(databaseUrl: string): Promise<{ db: Db; fast: SqliteFastPath }> {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error('Only SQLite (DATABASE_URL=file:...) is supported in this version');
  }
  migrateSqlite(databaseUrl);
  const gate = new Gate();
  let connection: Database | undefined;
  const adapter = serialized(new PrismaBetterSQLite3({ url: `file:${sqlitePath(databaseUrl)}`, timeout: 5000 }), gate, (a) => {
    // The better-sqlite3 handle inside Prisma's adapter: the fast path shares it (and the gate).
    connection = (a as { client: Database }).client;
  });
  const db = new PrismaClient({ adapter });
  // Per-connection settings: WAL needs only NORMAL sync to be crash-safe for
  // committed transactions (a power cut may lose the last ones, a crash does not).
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  if (!connection) throw new Error('Prisma did not open the SQLite connection');
  return { db, fast: new SqliteFastPath(connection, gate) };
}
