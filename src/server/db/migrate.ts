import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ensureParentDir, sqlitePath } from './sqlite.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));
export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/postgres/migrations', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The committed migrations, oldest first (directory names start with a timestamp). */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the committed SQL migrations that this database has not seen, each in
 * its own transaction, and records them. We apply the files ourselves rather than
 * spawn `prisma migrate deploy`: it is instant at start-up, and the same runner
 * serves PostgreSQL, where `migrate deploy` fails through the pg adapter.
 * Also switches the file to WAL, which persists in the database file.
 */
export function migrateSqlite(databaseUrl: string): string[] {
  const file = sqlitePath(databaseUrl);
  ensureParentDir(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "_hearth_migrations" (
      "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
    const applied = new Map(
      db
        .prepare('SELECT name, checksum FROM "_hearth_migrations"')
        .all()
        .map((row) => {
          const { name, checksum } = row as { name: string; checksum: string };
          return [name, checksum] as const;
        }),
    );
    const record = db.prepare('INSERT INTO "_hearth_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)');
    const ran: string[] = [];
    for (const migration of readMigrations()) {
      const seen = applied.get(migration.name);
      if (seen !== undefined) {
        if (seen !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.name, migration.checksum, new Date().toISOString());
      })();
      ran.push(migration.name);
    }
    return ran;
  } finally {
    db.close();
  }
}
