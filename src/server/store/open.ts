import { openDatabase } from '../db/client.ts';
import { createPrismaStore } from './prisma/index.ts';
import { createSqliteStore } from './sqlite/index.ts';
import type { Store } from './store.ts';

/**
 * The store DATABASE_URL names, chosen once: PostgreSQL through Prisma;
 * SQLite through the SQLite store. `engine: 'prisma'` runs Prisma's store on
 * SQLite too, so the contract suite covers its code without PostgreSQL.
 */
export async function openStore(databaseUrl: string, options: { engine?: 'prisma' } = {}): Promise<Store> {
  const { db, sqlite } = await openDatabase(databaseUrl);
  if (!sqlite) return createPrismaStore(db, 'postgres');
  if (options.engine === 'prisma') return createPrismaStore(db, 'sqlite');
  return createSqliteStore(db, sqlite.handle, sqlite.gate);
}
