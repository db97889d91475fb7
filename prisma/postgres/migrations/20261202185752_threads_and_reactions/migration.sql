-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "inRoom" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "lastReplyAt" TIMESTAMP(3),
ADD COLUMN     "replyCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "replyToId" TEXT,
ADD COLUMN     "threadIndex" INTEGER;

-- CreateTable
CREATE TABLE "Reaction" (
    "messageId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "emoji" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reaction_pkey" PRIMARY KEY ("messageId","userId","emoji")
);

-- CreateTable
CREATE TABLE "ThreadMember" (
    "rootId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "readSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ThreadMember_pkey" PRIMARY KEY ("rootId","userId")
);

-- CreateIndex
CREATE INDEX "ThreadMember_userId_roomId_idx" ON "ThreadMember"("userId", "roomId");

-- CreateIndex
CREATE INDEX "Message_replyToId_seq_idx" ON "Message"("replyToId", "seq");

-- CreateIndex
CREATE INDEX "Message_roomId_inRoom_seq_idx" ON "Message"("roomId", "inRoom", "seq");

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

