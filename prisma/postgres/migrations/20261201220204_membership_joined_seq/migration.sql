-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "joinedSeq" INTEGER;

-- Backfill: each membership began at its user's latest member.joined in the room's log.
UPDATE "Membership" m SET "joinedSeq" = COALESCE(
    (SELECT MAX(e."seq") FROM "RoomEvent" e WHERE e."roomId" = m."roomId" AND e."userId" = m."userId" AND e."type" = 'member.joined'), 0);

ALTER TABLE "Membership" ALTER COLUMN "joinedSeq" SET NOT NULL;
