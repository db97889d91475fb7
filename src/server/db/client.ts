import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { migrateSqlite } from './migrate.ts';
import { Gate, serialized } from './serialized-adapter.ts';
import { sqlitePath } from './sqlite.ts';

export type Db = PrismaClient;
export { Prisma } from './generated/client.ts';

/**
 * Opens (creating and migrating as needed) the database named by DATABASE_URL.
 * The server calls this once and hands the client to every transport, so HTTP
 * and WebSocket requests share one connection pool.
 */
export async function openDatabase(databaseUrl: string): Promise<Db> {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error('Only SQLite (DATABASE_URL=file:...) is supported in this version');
  }
  migrateSqlite(databaseUrl);
  const adapter = serialized(new PrismaBetterSQLite3({ url: `file:${sqlitePath(databaseUrl)}`, timeout: 5000 }), new Gate());
  const db = new PrismaClient({ adapter });
  // Per-connection settings: WAL needs only NORMAL sync to be crash-safe for
  // committed transactions (a power cut may lose the last ones, a crash does not).
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}
