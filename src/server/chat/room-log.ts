import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { SqliteFastPath } from '../db/sqlite-fast.ts';
import { AppError } from '../lib/app-error.ts';
import type { DurableRoomEvent, PublicMessage } from './room-events.ts';
import { toPublicMessage } from './serialize.ts';

export type Tx = Prisma.TransactionClient;
export type LogEntryType = DurableRoomEvent['type'];

/**
 * Takes the room's next seq and records what changed. Must run inside the
 * transaction that writes the change itself: the increment locks the room row
 * (SQLite: the write lock; PostgreSQL: the row lock), so concurrent writers get
 * 1, 2, 3 … with no gap, and a rolled-back write gives its number back.
 * Archived rooms take no new entries.
 */
export async function appendToLog(
  tx: Tx,
  entry: { roomId: string; type: LogEntryType; messageId?: string; userId?: string },
): Promise<number> {
  const rooms = await tx.room.updateManyAndReturn({
    where: { id: entry.roomId, archivedAt: null },
    data: { lastSeq: { increment: 1 } },
    select: { lastSeq: true },
  });
  const room = rooms[0];
  if (!room) throw new AppError('FORBIDDEN', 'This room is archived (read-only) or gone');
  await tx.roomEvent.create({ data: { ...entry, seq: room.lastSeq } });
  return room.lastSeq;
}

/**
 * The log after `afterSeq`, oldest first, as stream events. Messages are read
 * in their current state, so a replay never resurrects a deleted body and the
 * replayed result equals `messages.history`.
 */
export async function eventsAfter(
  deps: { db: Db; fast?: SqliteFastPath },
  { roomId, afterSeq, limit }: { roomId: string; afterSeq: number; limit: number },
): Promise<DurableRoomEvent[]> {
  const { rows, messages } = deps.fast
    ? await logPageFast(deps.fast, { roomId, afterSeq, limit })
    : await logPage(deps.db, { roomId, afterSeq, limit });
  return rows.map((row): DurableRoomEvent => {
    const base = { roomId, seq: row.seq };
    switch (row.type) {
      case 'message.created':
      case 'message.updated':
        return { ...base, type: row.type, message: messages.get(row.messageId!)! };
      case 'message.deleted':
        return { ...base, type: 'message.deleted', messageId: row.messageId! };
      case 'member.joined':
      case 'member.left':
        return { ...base, type: row.type, userId: row.userId! };
      default:
        throw new Error(`Unknown room log entry type ${row.type} at ${roomId}#${row.seq}`);
    }
  });
}

type LogPage = { rows: Array<{ seq: number; type: string; messageId: string | null; userId: string | null }>; messages: Map<string, PublicMessage> };

async function logPage(db: Db, { roomId, afterSeq, limit }: { roomId: string; afterSeq: number; limit: number }): Promise<LogPage> {
  const rows = await db.roomEvent.findMany({ where: { roomId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
  const ids = [...new Set(rows.flatMap((row) => (row.messageId ? [row.messageId] : [])))];
  const found = ids.length > 0 ? await db.message.findMany({ where: { id: { in: ids } } }) : [];
  return { rows, messages: new Map(found.map((m) => [m.id, toPublicMessage(m)])) };
}

/** SQLite: the page and its messages in one prepared query. */
async function logPageFast(fast: SqliteFastPath, { roomId, afterSeq, limit }: { roomId: string; afterSeq: number; limit: number }): Promise<LogPage> {
  const rows = await fast.logAfter(roomId, afterSeq, limit);
  const messages = new Map<string, PublicMessage>();
  for (const row of rows) if (row.message) messages.set(row.message.id, toPublicMessage(row.message));
  return { rows, messages };
}
