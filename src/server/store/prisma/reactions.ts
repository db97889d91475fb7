import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../errors.ts';
import type { ReactionChange, ReactionList, ReactionStore } from '../reactions.ts';
import { appendToLog, inLogTransaction, type Dialect } from './room-log.ts';

/** Thrown inside the transaction to roll it back with a refusal the store answers. */
class Refused extends Error {
  constructor(readonly reason: 'unchanged' | 'deleted' | 'too-many-emoji' | 'too-many-mine') {
    super(reason);
  }
}

/** Reactions are not the per-message hot path: one Prisma implementation serves every store. */
export class PrismaReactions implements ReactionStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  async add(change: ReactionChange, caps: { maxEmoji: number; maxPerUser: number }) {
    const { messageId, roomId, userId, emoji } = change;
    try {
      return await inLogTransaction(this.db, async (tx) => {
        const message = await tx.message.findUnique({ where: { id: messageId }, select: { deletedAt: true } });
        if (!message || message.deletedAt) throw new Refused('deleted');
        const existing = await tx.reaction.findMany({ where: { messageId }, select: { userId: true, emoji: true } });
        if (existing.some((r) => r.userId === userId && r.emoji === emoji)) throw new Refused('unchanged');
        const emojis = new Set(existing.map((r) => r.emoji));
        if (!emojis.has(emoji) && emojis.size >= caps.maxEmoji) throw new Refused('too-many-emoji');
        if (existing.filter((r) => r.userId === userId).length >= caps.maxPerUser) throw new Refused('too-many-mine');
        const seq = await appendToLog(tx, this.dialect, { roomId, type: 'reaction.added', messageId, userId, detail: emoji });
        await tx.reaction.create({ data: { messageId, userId, emoji, roomId, seq } });
        return seq;
      });
    } catch (error) {
      if (error instanceof Refused) return error.reason;
      // The same reaction added twice at once: the second meets the primary key.
      if (isUniqueViolation(error)) return 'unchanged' as const;
      throw error;
    }
  }

  async remove({ messageId, roomId, userId, emoji }: ReactionChange) {
    try {
      return await inLogTransaction(this.db, async (tx) => {
        // Two removals racing: only the one that deletes the row logs an event.
        const { count } = await tx.reaction.deleteMany({ where: { messageId, userId, emoji } });
        if (count === 0) throw new Refused('unchanged');
        return appendToLog(tx, this.dialect, { roomId, type: 'reaction.removed', messageId, userId, detail: emoji });
      });
    } catch (error) {
      if (error instanceof Refused) return 'unchanged' as const;
      throw error;
    }
  }

  async of(messageIds: string[]): Promise<Map<string, ReactionList>> {
    const found = new Map<string, ReactionList>();
    if (messageIds.length === 0) return found;
    const rows = await this.db.reaction.findMany({ where: { messageId: { in: messageIds } }, orderBy: [{ seq: 'asc' }] });
    for (const { messageId, emoji, userId } of rows) {
      const list = found.get(messageId) ?? [];
      const entry = list.find((r) => r.emoji === emoji);
      if (entry) entry.userIds.push(userId);
      else list.push({ emoji, userIds: [userId] });
      found.set(messageId, list);
    }
    return found;
  }
}
