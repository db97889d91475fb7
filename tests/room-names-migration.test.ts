import { describe, expect, it } from 'vitest';
import { onPostgres } from './helpers/database.ts';
import { beforeMigration } from './helpers/migrations.ts';

const MIGRATION = 'room_details';

/**
 * Rooms from before names were unique: three named alike ("Ops", "ops", "OPS";
 * two created at the same moment, so the id breaks the tie), one other, and
 * two direct rooms (no name, never renamed).
 */
const ROWS = `
  INSERT INTO "Room" ("id", "name", "kind", "createdAt") VALUES
    ('b0000000-0000-4000-8000-000000000002', 'ops', 'open', '2026-11-01 10:00:00'),
    ('a0000000-0000-4000-8000-000000000001', 'Ops', 'closed', '2026-11-01 10:00:00'),
    ('c0000000-0000-4000-8000-000000000003', 'OPS', 'open', '2026-11-02 10:00:00'),
    ('d0000000-0000-4000-8000-000000000004', 'design', 'closed', '2026-11-03 10:00:00'),
    ('e0000000-0000-4000-8000-000000000005', '', 'direct', '2026-11-04 10:00:00'),
    ('f0000000-0000-4000-8000-000000000006', '', 'direct', '2026-11-05 10:00:00');`;

const EXPECTED = [
  { id: 'a0000000-0000-4000-8000-000000000001', name: 'Ops', nameKey: 'ops', topic: '' },
  { id: 'b0000000-0000-4000-8000-000000000002', name: 'ops (b0000000)', nameKey: 'ops (b0000000)', topic: '' },
  { id: 'c0000000-0000-4000-8000-000000000003', name: 'OPS (c0000000)', nameKey: 'ops (c0000000)', topic: '' },
  { id: 'd0000000-0000-4000-8000-000000000004', name: 'design', nameKey: 'design', topic: '' },
  { id: 'e0000000-0000-4000-8000-000000000005', name: '', nameKey: null, topic: '' },
  { id: 'f0000000-0000-4000-8000-000000000006', name: '', nameKey: null, topic: '' },
];
const SELECT = `SELECT "id", "name", "nameKey", "topic" FROM "Room" ORDER BY "id"`;

describe(`the ${MIGRATION} migration`, () => {
  it(`makes existing room names unique regardless of case: the oldest keeps its name, the others get their id's start (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const db = await beforeMigration(MIGRATION);
    try {
      for (const m of db.migrations) await db.run(m.sql);
      await db.run(ROWS);
      await db.run(db.migration.sql);
      expect(await db.rows(SELECT)).toEqual(EXPECTED);
      await expect(db.run(`INSERT INTO "Room" ("id", "name", "nameKey", "kind") VALUES ('x', 'OPS', 'ops', 'open')`)).rejects.toThrow(/unique/i);
    } finally {
      await db.close();
    }
  });
});
