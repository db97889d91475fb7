-- AlterTable
ALTER TABLE "RoomEvent" ADD COLUMN "actorId" TEXT;
ALTER TABLE "RoomEvent" ADD COLUMN "detail" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Room" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "nameKey" TEXT,
    "topic" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "directKey" TEXT,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "archivedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Room" ("archivedAt", "createdAt", "createdById", "directKey", "id", "kind", "lastSeq", "name") SELECT "archivedAt", "createdAt", "createdById", "directKey", "id", "kind", "lastSeq", "name" FROM "Room";
DROP TABLE "Room";
ALTER TABLE "new_Room" RENAME TO "Room";
-- Backfill: room names become unique regardless of case. Of rooms named alike,
-- the oldest (then the smallest id) keeps its name; each other one gets its id's
-- first eight characters appended, "Ops (3f2a9c1e)". lower() folds ASCII letters
-- only on SQLite (all letters on PostgreSQL); the server folds with JavaScript's
-- toLowerCase for every later name (chat/room-names.ts).
UPDATE "Room" SET "name" = "name" || ' (' || substr("id", 1, 8) || ')'
 WHERE "kind" <> 'direct' AND EXISTS (
   SELECT 1 FROM "Room" AS "older"
    WHERE "older"."kind" <> 'direct' AND lower("older"."name") = lower("Room"."name")
      AND ("older"."createdAt" < "Room"."createdAt" OR ("older"."createdAt" = "Room"."createdAt" AND "older"."id" < "Room"."id")));
UPDATE "Room" SET "nameKey" = lower("name") WHERE "kind" <> 'direct';
CREATE UNIQUE INDEX "Room_nameKey_key" ON "Room"("nameKey");
CREATE UNIQUE INDEX "Room_directKey_key" ON "Room"("directKey");
CREATE INDEX "Room_kind_archivedAt_idx" ON "Room"("kind", "archivedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

