import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { expect } from 'vitest';
import { POSTGRES_MIGRATIONS_DIR, readMigrations } from '../../src/server/db/migrate.ts';
import { freshPostgresDatabase, onPostgres } from './database.ts';
import { ROOT } from './process.ts';
import { tempDir } from './server.ts';

/**
 * A database of the suite's kind (SQLite, or PostgreSQL under
 * HEARTH_TEST_DATABASE=postgres) with every migration before `name` to apply:
 * `migrations` (in order), then the test's old rows, then `migration` itself.
 * `run` executes SQL, `rows` reads.
 */
export async function beforeMigration(name: string) {
  const migrations = readMigrations(onPostgres ? POSTGRES_MIGRATIONS_DIR : path.join(ROOT, 'prisma/migrations'));
  const at = migrations.findIndex((m) => m.name.endsWith(`_${name}`));
  expect(at).toBeGreaterThan(0);
  const migration = migrations[at]!;
  if (!onPostgres) {
    const db = new Database(path.join(await tempDir(), 'old.db'));
    return {
      migrations: migrations.slice(0, at),
      migration,
      run: async (sql: string) => void db.exec(sql),
      rows: async (sql: string) => db.prepare(sql).all(),
      close: async () => db.close(),
    };
  }
  const database = await freshPostgresDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    migrations: migrations.slice(0, at),
    migration,
    run: async (sql: string) => void (await client.query(sql)),
    rows: async (sql: string) => (await client.query(sql)).rows,
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}
