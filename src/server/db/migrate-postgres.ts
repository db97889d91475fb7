import pg from 'pg';
import { POSTGRES_MIGRATIONS_DIR, readMigrations } from './migrate.ts';

/**
 * Applies the committed PostgreSQL migrations (prisma/postgres/migrations) in
 * order, each in its own transaction, recorded in _hearth_migrations.
 * `prisma migrate deploy` cannot do it through the pg adapter (prisma/orm#27403).
 * An advisory lock makes instances that start together take turns.
 */
export async function migratePostgres(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const ran: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(4242424242)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_hearth_migrations" (
      "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_hearth_migrations"');
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    for (const migration of readMigrations(POSTGRES_MIGRATIONS_DIR)) {
      const seen = applied.get(migration.name);
      if (seen !== undefined) {
        if (seen !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO "_hearth_migrations" (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      ran.push(migration.name);
    }
    return ran;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => {});
    await client.end();
  }
}
