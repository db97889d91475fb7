import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../errors.ts';
import { CLOSED, DUPLICATE, type Message, type MessageStore, type NewMessage } from '../store.ts';
import { appendToLog, inLogTransaction, type Dialect } from './room-log.ts';

export class PrismaMessages implements MessageStore {
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
  ) {}

  /** A retry's insert fails on the unique key, rolling its seq back with it. */
  async append(message: NewMessage): Promise<Message | typeof DUPLICATE | typeof CLOSED> {
    try {
      return await inLogTransaction(this.db, async (tx) => {
        const seq = await appendToLog(tx, this.dialect, { roomId: message.roomId, type: 'message.created', messageId: message.id });
        return tx.message.create({ data: { ...message, seq } });
      });
    } catch (error) {
      if (isUniqueViolation(error)) return DUPLICATE;
      throw error;
    }
  }

  byClientId(authorId: string, clientMessageId: string): Promise<Message | null> {
    return this.db.message.findUnique({ where: { authorId_clientMessageId: { authorId, clientMessageId } } });
  }

  byId(messageId: string): Promise<Message | null> {
    return this.db.message.findUnique({ where: { id: messageId } });
  }

  async edit({ id, roomId, body }: { id: string; roomId: string; body: string }) {
    return inLogTransaction(this.db, async (tx) => {
      // Conditional on not deleted, inside the transaction: an edit racing a delete cannot revive the text.
      const { count } = await tx.message.updateMany({ where: { id, deletedAt: null }, data: { body, editedAt: new Date() } });
      if (count === 0) return 'deleted' as const;
      const seq = await appendToLog(tx, this.dialect, { roomId, type: 'message.updated', messageId: id });
      return { seq, message: await tx.message.findUniqueOrThrow({ where: { id } }) };
    });
  }

  async erase({ id, roomId }: { id: string; roomId: string }) {
    return inLogTransaction(this.db, async (tx) => {
      // Two deletes racing: only the one that flips the row logs an event.
      const { count } = await tx.message.updateMany({ where: { id, deletedAt: null }, data: { body: null, deletedAt: new Date() } });
      return count === 0 ? ('deleted' as const) : appendToLog(tx, this.dialect, { roomId, type: 'message.deleted', messageId: id });
    });
  }

  newestBefore({ roomId, beforeSeq, limit }: { roomId: string; beforeSeq?: number; limit: number }): Promise<Message[]> {
    return this.db.message.findMany({
      where: { roomId, deletedAt: null, ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}) },
      orderBy: { seq: 'desc' },
      take: limit,
    });
  }
}
