/**
 * The one definition of how a room's log takes its next seq, used by both
 * stores. The increment locks the room row (SQLite: the write lock;
 * PostgreSQL: the row lock), so concurrent writers get 1, 2, 3 … with no gap,
 * and a rolled-back write gives its number back. It must run in the
 * transaction that writes the change itself. Archived rooms match no row:
 * they take no new entries.
 *
 * `param`: the driver's placeholder for the room id ('?' or '$1').
 */
export const takeNextSeqSql = (param: string) =>
  `UPDATE "Room" SET "lastSeq" = "lastSeq" + 1 WHERE "id" = ${param} AND "archivedAt" IS NULL RETURNING "lastSeq"`;
