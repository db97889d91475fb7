import { Prisma, type Db } from '../db/client.ts';
import { AppError } from '../lib/app-error.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Services } from '../app/services.ts';

export interface Unread {
  unread: number;
  /** The room's lastSeq when counted: later messages are not in `unread`. */
  lastSeq: number;
}

/**
 * Per room: messages after my read position, not mine, not deleted. One
 * statement, so the count and lastSeq are a consistent snapshot.
 */
export async function unreadCounts(db: Db, { userId, roomId }: { userId: string; roomId?: string }): Promise<Map<string, Unread>> {
  const rows = await db.$queryRaw<Array<{ roomId: string; unread: number | bigint; lastSeq: number | bigint }>>`
    SELECT m."roomId" AS "roomId", r."lastSeq" AS "lastSeq", COUNT(msg."id") AS "unread"
      FROM "Membership" m
      JOIN "Room" r ON r."id" = m."roomId"
      LEFT JOIN "Message" msg ON msg."roomId" = m."roomId" AND msg."seq" > m."readSeq"
                              AND msg."authorId" <> m."userId" AND msg."deletedAt" IS NULL
     WHERE m."userId" = ${userId} ${roomId ? Prisma.sql`AND m."roomId" = ${roomId}` : Prisma.empty}
     GROUP BY m."roomId", r."lastSeq"`;
  return new Map(rows.map((row) => [row.roomId, { unread: Number(row.unread), lastSeq: Number(row.lastSeq) }]));
}

type Position = { roomId: string; userId: string; seq: number; lastSeq: number };

/**
 * Moves my read (and so delivered) or delivered position forward, never back,
 * then tells the room (receipt) and my other devices (read → unread counts).
 */
export async function markPosition(deps: Pick<Services, 'db' | 'bus'>, kind: 'read' | 'delivered', { roomId, userId, seq, lastSeq }: Position) {
  if (seq > lastSeq) throw new AppError('BAD_REQUEST', `seq ${seq} is beyond the room's last event (${lastSeq})`);
  const current = await deps.db.membership.findUniqueOrThrow({ where: { roomId_userId: { roomId, userId } } });
  const deliveredSeq = Math.max(current.deliveredSeq, seq);
  const readSeq = kind === 'read' ? Math.max(current.readSeq, seq) : current.readSeq;
  if (deliveredSeq === current.deliveredSeq && readSeq === current.readSeq) return { deliveredSeq, readSeq };
  // Forward-only in SQL too, in case another device moved it meanwhile.
  await deps.db.$executeRaw`
    UPDATE "Membership"
       SET "deliveredSeq" = CASE WHEN "deliveredSeq" > ${deliveredSeq} THEN "deliveredSeq" ELSE ${deliveredSeq} END,
           "readSeq" = CASE WHEN "readSeq" > ${readSeq} THEN "readSeq" ELSE ${readSeq} END
     WHERE "roomId" = ${roomId} AND "userId" = ${userId}`;
  await deps.bus.publish(channels.room(roomId), { type: 'receipt', roomId, userId, deliveredSeq, readSeq });
  if (readSeq !== current.readSeq) await deps.bus.publish(channels.user(userId), { type: 'read', userId, roomId, readSeq });
  return { deliveredSeq, readSeq };
}

/** Which members (other than the author) have a message delivered, and read. */
export async function receiptsFor(db: Db, { messageId }: { messageId: string }) {
  const message = await db.message.findUniqueOrThrow({ where: { id: messageId } });
  const members = await db.membership.findMany({
    where: { roomId: message.roomId, userId: { not: message.authorId } },
    select: { userId: true, deliveredSeq: true, readSeq: true },
  });
  return {
    messageId,
    seq: message.seq,
    delivered: members.filter((m) => m.deliveredSeq >= message.seq).map((m) => m.userId),
    read: members.filter((m) => m.readSeq >= message.seq).map((m) => m.userId),
  };
}
