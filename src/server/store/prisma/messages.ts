import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../errors.ts';
import { CLOSED, DUPLICATE, type Mentions, type Message, type MessageStore, type NewMessage } from '../store.ts';
import { appendToLog, inLogTransaction, type Dialect, type Tx } from './room-log.ts';

/** An edit's mentions replace the old: its Mention rows (one per member, at the message's own seq) and the columns to set. */
async function writeMentions(tx: Tx, { id, roomId, seq }: { id: string; roomId: string; seq: number }, { mentionIds, mentionsRoom }: Mentions) {
  await tx.mention.deleteMany({ where: { messageId: id } });
  if (mentionIds.length > 0) await tx.mention.createMany({ data: mentionIds.map((userId) => ({ messageId: id, userId, roomId, seq })) });
  return { mentionIds: JSON.stringify(mentionIds), mentionsRoom };
}

export class PrismaMessages implements MessageStore {
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
  ) {}

  /** A retry's insert fails on the unique key, rolling its seq back with it. */
  async append(message: NewMessage): Promise<Message | typeof DUPLICATE | typeof CLOSED> {
    try {
      return await inLogTransaction(this.db, async (tx) => {
        const { mentionIds = [], mentionsRoom = false, ...row } = message;
        const seq = await appendToLog(tx, this.dialect, { roomId: message.roomId, type: 'message.created', messageId: message.id });
        const mentions = mentionIds.length > 0 ? { mentions: { create: mentionIds.map((userId) => ({ userId, roomId: row.roomId, seq })) } } : {};
        return tx.message.create({ data: { ...row, seq, mentionIds: JSON.stringify(mentionIds), mentionsRoom, ...mentions } });
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

  async edit({ id, roomId, body, mentionIds = [], mentionsRoom = false }: { id: string; roomId: string; body: string } & Partial<Mentions>) {
    return inLogTransaction(this.db, async (tx) => {
      // Conditional on not deleted, inside the transaction: an edit racing a delete cannot revive the text.
      const { count } = await tx.message.updateMany({ where: { id, deletedAt: null }, data: { body, editedAt: new Date() } });
      if (count === 0) return 'deleted' as const;
      const seq = await appendToLog(tx, this.dialect, { roomId, type: 'message.updated', messageId: id });
      const { seq: messageSeq } = await tx.message.findUniqueOrThrow({ where: { id }, select: { seq: true } });
      const columns = await writeMentions(tx, { id, roomId, seq: messageSeq }, { mentionIds, mentionsRoom });
      return { seq, message: await tx.message.update({ where: { id }, data: columns }) };
    });
  }

  async erase({ id, roomId }: { id: string; roomId: string }) {
    return inLogTransaction(this.db, async (tx) => {
      // Two deletes racing: only the one that flips the row logs an event.
      // Who it mentioned and how people reacted go with the text.
      const blank = { body: null, deletedAt: new Date(), mentionIds: '[]', mentionsRoom: false };
      const { count } = await tx.message.updateMany({ where: { id, deletedAt: null }, data: blank });
      if (count === 0) return 'deleted' as const;
      await tx.mention.deleteMany({ where: { messageId: id } });
      await tx.reaction.deleteMany({ where: { messageId: id } });
      return appendToLog(tx, this.dialect, { roomId, type: 'message.deleted', messageId: id });
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
