import type { Db } from '../../db/client.ts';
import type { Prisma } from '../../db/generated/client.ts';
import { takeNextSeqSql } from '../room-seq.ts';
import { CLOSED, type LogEntry, type RoomLogStore } from '../store.ts';

export type Tx = Prisma.TransactionClient;
export type Dialect = 'sqlite' | 'postgres';

const takeNextSeq = { sqlite: takeNextSeqSql('?'), postgres: takeNextSeqSql('$1') };

/** Thrown inside a transaction to roll it back when the room takes no entries; the store answers CLOSED. */
export class RoomClosed extends Error {}

/** Takes the room's next seq and logs the entry, in the caller's transaction (room-seq.ts). */
export async function appendToLog(
  tx: Tx,
  dialect: Dialect,
  entry: { roomId: string; type: string; messageId?: string; userId?: string; actorId?: string | null; detail?: string },
): Promise<number> {
  const rows = await tx.$queryRawUnsafe<Array<{ lastSeq: number | bigint }>>(takeNextSeq[dialect], entry.roomId);
  const row = rows[0];
  if (!row) throw new RoomClosed();
  const seq = Number(row.lastSeq);
  await tx.roomEvent.create({ data: { ...entry, seq } });
  return seq;
}

/** Runs `work` in a transaction; a RoomClosed inside it rolls back and answers CLOSED. */
export async function inLogTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T | typeof CLOSED> {
  try {
    return await db.$transaction(work);
  } catch (error) {
    if (error instanceof RoomClosed) return CLOSED;
    throw error;
  }
}

export class PrismaRoomLog implements RoomLogStore {
  constructor(protected readonly db: Db) {}

  async lastSeq(roomId: string): Promise<number | undefined> {
    return (await this.db.room.findUnique({ where: { id: roomId }, select: { lastSeq: true } }))?.lastSeq;
  }

  async entriesAfter(roomId: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
    const rows = await this.db.roomEvent.findMany({ where: { roomId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
    const ids = [...new Set(rows.flatMap((row) => (row.messageId ? [row.messageId] : [])))];
    const found = ids.length > 0 ? await this.db.message.findMany({ where: { id: { in: ids } } }) : [];
    const messages = new Map(found.map((m) => [m.id, m]));
    return rows.map(({ seq, type, messageId, userId, actorId, detail }) => ({
      seq,
      type,
      messageId,
      userId,
      actorId,
      detail,
      message: (messageId && messages.get(messageId)) || null,
    }));
  }

  async roomEntriesBetween(roomId: string, { afterSeq, beforeSeq, limit }: { afterSeq: number; beforeSeq: number; limit: number }): Promise<LogEntry[]> {
    const rows = await this.db.roomEvent.findMany({
      where: { roomId, seq: { gt: afterSeq, lt: beforeSeq }, messageId: null },
      orderBy: { seq: 'desc' },
      take: limit,
    });
    return rows.reverse().map(({ seq, type, messageId, userId, actorId, detail }) => ({ seq, type, messageId, userId, actorId, detail, message: null }));
  }
}
