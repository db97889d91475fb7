import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../errors.ts';
import type { HiddenStore } from '../hidden.ts';

export class PrismaHidden implements HiddenStore {
  constructor(private readonly db: Db) {}

  async hideMessage(hidden: { userId: string; messageId: string; roomId: string; seq: number }): Promise<boolean> {
    try {
      await this.db.hiddenMessage.create({ data: hidden });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async messageIdsIn(userId: string, roomId: string, range?: { fromSeq: number; toSeq: number }): Promise<string[]> {
    const seq = range ? { gte: range.fromSeq, lte: range.toSeq } : undefined;
    const rows = await this.db.hiddenMessage.findMany({ where: { userId, roomId, seq }, select: { messageId: true } });
    return rows.map((row) => row.messageId);
  }

  hideRoom(roomId: string, userId: string): Promise<number | 'not-member'> {
    return this.db.$transaction(async (tx) => {
      const membership = await tx.membership.findUnique({ where: { roomId_userId: { roomId, userId } }, include: { room: { select: { lastSeq: true } } } });
      if (!membership) return 'not-member';
      const lastSeq = membership.room.lastSeq;
      await tx.membership.update({
        where: { roomId_userId: { roomId, userId } },
        data: {
          hidden: true,
          clearedSeq: lastSeq,
          readSeq: Math.max(membership.readSeq, lastSeq),
          deliveredSeq: Math.max(membership.deliveredSeq, lastSeq),
        },
      });
      return lastSeq;
    });
  }
}
