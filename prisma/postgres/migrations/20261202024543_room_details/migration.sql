-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "nameKey" TEXT,
ADD COLUMN     "topic" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "RoomEvent" ADD COLUMN     "actorId" TEXT,
ADD COLUMN     "detail" TEXT;

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

-- CreateIndex
CREATE UNIQUE INDEX "Room_nameKey_key" ON "Room"("nameKey");

