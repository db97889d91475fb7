import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { EventBus } from '../realtime/bus.ts';
import type { Notification, ReadSelection } from '../store/notifications.ts';
import type { Store } from '../store/store.ts';
import { announceUnread } from './notification-delivery.ts';
import { toNotificationItem } from './notification-item.ts';

type Reads = { store: Pick<Store, 'notifications'> };
type Writes = Reads & { bus: EventBus; clock: Clock };

/** A page's end: the last item's time and id (items are ordered by both). */
const cursorOf = (row: Notification) => `${row.createdAt.getTime()}.${row.id}`;

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const match = /^(\d{1,15})\.([\w-]{1,64})$/.exec(cursor);
  if (!match)
    throw new AppError('BAD_REQUEST', 'Not a cursor this list gave out', { issues: [{ path: ['cursor'], message: 'invalid cursor', code: 'custom' }] });
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}

/** My notifications, newest first, each with its room, actor and the message as it is now; and my unread count. */
export async function listNotifications(deps: Reads, { userId, cursor, limit }: { userId: string; cursor?: string; limit: number }) {
  const before = cursor === undefined ? undefined : parseCursor(cursor);
  const rows = await deps.store.notifications.page(userId, { before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const details = await deps.store.notifications.details(page);
  const unread = (await deps.store.notifications.unreadCounts([userId])).get(userId) ?? 0;
  const last = page.at(-1);
  return { items: page.map((row) => toNotificationItem(row, details)), unread, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

/** Marks some (or all) of my notifications read; my devices hear the new count when it changed. */
export async function markNotificationsRead(deps: Writes, { userId, which }: { userId: string; which: ReadSelection }) {
  const changed = await deps.store.notifications.markRead(userId, which, new Date(deps.clock.now()));
  if (changed === 0) return { unread: (await deps.store.notifications.unreadCounts([userId])).get(userId) ?? 0 };
  return { unread: await announceUnread(deps, userId) };
}

/** Reading a room up to `readSeq` reads its notifications about what is at or below it. */
export async function readRoomNotifications(deps: Writes, { userId, roomId, readSeq }: { userId: string; roomId: string; readSeq: number }) {
  const changed = await deps.store.notifications.markRead(userId, { roomId, upToSeq: readSeq }, new Date(deps.clock.now()));
  if (changed > 0) await announceUnread(deps, userId);
}
