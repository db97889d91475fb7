import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store, Unread } from '../store/store.ts';
import { readRoomNotifications } from './notifications.ts';

export type { Unread };

/**
 * Per room: messages after my read position, not mine, not deleted. One
 * statement, so the count and lastSeq are a consistent snapshot.
 */
export function unreadCounts(
  deps: { store: Pick<Store, 'memberships'> },
  { userId, roomId }: { userId: string; roomId?: string },
): Promise<Map<string, Unread>> {
  return deps.store.memberships.unread(userId, roomId);
}

type Position = { roomId: string; userId: string; seq: number; lastSeq: number };

/**
 * Moves my read (and so delivered) or delivered position forward, never back,
 * then tells the room (receipt) and my other devices (read → unread counts).
 * Reading also reads my notifications about what I have now read.
 */
export async function markPosition(
  deps: { store: Pick<Store, 'memberships' | 'notifications'>; bus: EventBus; clock: Clock },
  kind: 'read' | 'delivered',
  { roomId, userId, seq, lastSeq }: Position,
) {
  if (seq > lastSeq) throw new AppError('BAD_REQUEST', `seq ${seq} is beyond the room's last event (${lastSeq})`);
  const current = await deps.store.memberships.find(roomId, userId);
  if (!current) throw new AppError('NOT_FOUND', 'No such room');
  const deliveredSeq = Math.max(current.deliveredSeq, seq);
  const readSeq = kind === 'read' ? Math.max(current.readSeq, seq) : current.readSeq;
  if (deliveredSeq === current.deliveredSeq && readSeq === current.readSeq) return { deliveredSeq, readSeq };
  await deps.store.memberships.advance({ roomId, userId, deliveredSeq, readSeq });
  await deps.bus.publish(channels.room(roomId), { type: 'receipt', roomId, userId, deliveredSeq, readSeq });
  if (readSeq !== current.readSeq) {
    await deps.bus.publish(channels.user(userId), { type: 'read', userId, roomId, readSeq });
    await readRoomNotifications(deps, { userId, roomId, readSeq });
  }
  return { deliveredSeq, readSeq };
}

/** Which members (other than the author) have a message delivered, and read. */
export async function receiptsFor(deps: { store: Pick<Store, 'messages' | 'memberships'> }, { messageId }: { messageId: string }) {
  const message = await deps.store.messages.byId(messageId);
  if (!message) throw new AppError('NOT_FOUND', 'No such message');
  const members = await deps.store.memberships.others(message.roomId, message.authorId);
  return {
    messageId,
    seq: message.seq,
    delivered: members.filter((m) => m.deliveredSeq >= message.seq).map((m) => m.userId),
    read: members.filter((m) => m.readSeq >= message.seq).map((m) => m.userId),
  };
}
