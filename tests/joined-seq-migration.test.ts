import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS_DIR, readMigrations } from '../src/server/db/migrate.ts';
import { freshPostgresDatabase, onPostgres } from './helpers/database.ts';
import { ROOT } from './helpers/process.ts';
import { tempDir } from './helpers/server.ts';

const MIGRATION = 'membership_joined_seq';

/**
 * A room whose log says: alice joined (1), bob joined (2), bob left (3), bob
 * joined again (4), carol joined (5); dave's membership has no join logged.
 */
const ROWS = `
  INSERT INTO "User" ("id", "username", "displayName", "passwordHash") VALUES
    ('a', 'alice', 'Alice', 'x'), ('b', 'bob', 'Bob', 'x'), ('c', 'carol', 'Carol', 'x'), ('d', 'dave', 'Dave', 'x');
  INSERT INTO "Room" ("id", "name", "kind", "lastSeq") VALUES ('r', 'general', 'closed', 5), ('q', 'other', 'closed', 1);
  INSERT INTO "RoomEvent" ("roomId", "seq", "type", "userId") VALUES
    ('r', 1, 'member.joined', 'a'), ('r', 2, 'member.joined', 'b'), ('r', 3, 'member.left', 'b'),
    ('r', 4, 'member.joined', 'b'), ('r', 5, 'member.joined', 'c'), ('q', 1, 'member.joined', 'b');
  INSERT INTO "Membership" ("roomId", "userId") VALUES ('r', 'a'), ('r', 'b'), ('r', 'c'), ('r', 'd'), ('q', 'b');`;

const EXPECTED = [
  { roomId: 'q', userId: 'b', joinedSeq: 1 },
  { roomId: 'r', userId: 'a', joinedSeq: 1 },
  { roomId: 'r', userId: 'b', joinedSeq: 4 },
  { roomId: 'r', userId: 'c', joinedSeq: 5 },
  { roomId: 'r', userId: 'd', joinedSeq: 0 },
];
const SELECT = `SELECT "roomId", "userId", "joinedSeq" FROM "Membership" ORDER BY "roomId", "userId"`;

/** A database of the suite's kind, at the migrations before this one; `run` executes SQL, `rows` reads. */
async function beforeMigration() {
  const migrations = readMigrations(onPostgres ? POSTGRES_MIGRATIONS_DIR : path.join(ROOT, 'prisma/migrations'));
  const at = migrations.findIndex((m) => m.name.endsWith(`_${MIGRATION}`));
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
  const close = async () => {
    await client.end();
    await database.drop();
  };
  return {
    migrations: migrations.slice(0, at),
    migration,
    run: async (sql: string) => void (await client.query(sql)),
    rows: async (sql: string) => (await client.query(sql)).rows,
    close,
  };
}

describe(`the ${MIGRATION} migration`, () => {
  it(`fills joinedSeq of existing memberships from the latest member.joined in the log (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const db = await beforeMigration();
    try {
      for (const m of db.migrations) await db.run(m.sql);
      await db.run(ROWS);
      await db.run(db.migration.sql);
      expect(await db.rows(SELECT)).toEqual(EXPECTED);
    } finally {
      await db.close();
    }
  });
});
