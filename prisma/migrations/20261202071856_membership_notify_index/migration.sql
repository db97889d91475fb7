-- CreateIndex
CREATE INDEX "Membership_roomId_notify_idx" ON "Membership"("roomId", "notify");

