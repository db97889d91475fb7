import { describe, expect, it } from 'vitest';
import { onPostgres } from './helpers/database.ts';
import { beforeMigration } from './helpers/migrations.ts';

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

describe(`the ${MIGRATION} migration`, () => {
  it(`fills joinedSeq of existing memberships from the latest member.joined in the log (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const db = await beforeMigration(MIGRATION);
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
