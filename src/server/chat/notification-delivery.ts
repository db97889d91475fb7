import { notificationBody, notificationPrivateText, notificationTitle } from '../../shared/notification-text.ts';
import type { PushDispatcher } from '../push/dispatch.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Presence } from '../realtime/presence.ts';
import type { Notification } from '../store/notifications.ts';
import type { Store } from '../store/store.ts';
import { toNotificationItem, type NotificationItem } from './notification-item.ts';

export type DeliveryDeps = {
  store: Pick<Store, 'notifications'>;
  bus: EventBus;
  presence: Pick<Presence, 'onlineAmong'>;
  push: Pick<PushDispatcher, 'deliver'>;
};

/** Where a click on it takes the person: the room (the app opens `#room=<id>`), or the app. */
export const notificationUrl = (item: Pick<NotificationItem, 'roomId'>) => (item.roomId ? `/#room=${item.roomId}` : '/');

/**
 * After the rows are written: each person's open pages hear of their
 * notification with their new unread count (desktop notifications come from
 * there), and people with no open connection at all get it as a push.
 */
export async function deliverNotifications(deps: DeliveryDeps, rows: Notification[]): Promise<void> {
  if (rows.length === 0) return;
  const userIds = [...new Set(rows.map((row) => row.userId))];
  const details = await deps.store.notifications.details(rows);
  const unread = await deps.store.notifications.unreadCounts(userIds);
  const online = await deps.presence.onlineAmong(userIds);
  for (const row of rows) {
    const notification = toNotificationItem(row, details);
    await deps.bus.publish(channels.user(row.userId), { type: 'notification', userId: row.userId, notification, unread: unread.get(row.userId) ?? 0 });
    if (online.has(row.userId)) continue;
    deps.push.deliver({
      userId: row.userId,
      notificationId: row.id,
      url: notificationUrl(notification),
      title: notificationTitle(notification),
      body: notificationBody(notification),
      privateBody: notificationPrivateText(notification.kind),
    });
  }
}

/** My unread count changed without a new notification (read here or on another device). */
export async function announceUnread(deps: { store: Pick<Store, 'notifications'>; bus: EventBus }, userId: string): Promise<number> {
  const unread = (await deps.store.notifications.unreadCounts([userId])).get(userId) ?? 0;
  await deps.bus.publish(channels.user(userId), { type: 'notifications.read', userId, unread });
  return unread;
}
