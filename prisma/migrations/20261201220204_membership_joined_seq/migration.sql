-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Membership" (
    "roomId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "readSeq" INTEGER NOT NULL DEFAULT 0,
    "deliveredSeq" INTEGER NOT NULL DEFAULT 0,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "joinedSeq" INTEGER NOT NULL,

    PRIMARY KEY ("roomId", "userId"),
    CONSTRAINT "Membership_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Backfill: each membership began at its user's latest member.joined in the room's log.
INSERT INTO "new_Membership" ("deliveredSeq", "joinedAt", "readSeq", "role", "roomId", "userId", "joinedSeq") SELECT m."deliveredSeq", m."joinedAt", m."readSeq", m."role", m."roomId", m."userId",
    COALESCE((SELECT MAX(e."seq") FROM "RoomEvent" e WHERE e."roomId" = m."roomId" AND e."userId" = m."userId" AND e."type" = 'member.joined'), 0)
    FROM "Membership" m;
DROP TABLE "Membership";
ALTER TABLE "new_Membership" RENAME TO "Membership";
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

