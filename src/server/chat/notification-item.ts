import { z } from 'zod';
import { excerptOf } from '../../shared/notification-text.ts';
import type { Notification, NotificationDetails } from '../store/notifications.ts';

export const NOTIFICATION_KINDS = ['mention', 'direct', 'message', 'room.added', 'contact.request', 'contact.accepted'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A feed item as pages see it: the row with what it names, as it is now. */
export const notificationItemSchema = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  roomId: z.string().nullable(),
  /** '' for a direct room (it has no name); null: no room, or gone. */
  roomName: z.string().nullable(),
  roomKind: z.enum(['open', 'closed', 'direct']).nullable(),
  messageId: z.string().nullable(),
  seq: z.number().int().nullable(),
  actor: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  /** The start of the message's current text; null: no message, or deleted since. */
  excerpt: z.string().nullable(),
  /** Messages collapsed into it (direct, message). */
  count: z.number().int(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationItem = z.infer<typeof notificationItemSchema>;

const kindOf = (kind: string): NotificationKind => (NOTIFICATION_KINDS as readonly string[]).find((k) => k === kind) as NotificationKind;
const roomKindOf = (kind: string | undefined) => (kind === 'open' || kind === 'closed' || kind === 'direct' ? kind : null);

export function toNotificationItem(row: Notification, details: NotificationDetails): NotificationItem {
  const room = row.roomId ? details.rooms.get(row.roomId) : undefined;
  const actor = row.actorId ? details.people.get(row.actorId) : undefined;
  const text = row.messageId ? details.texts.get(row.messageId) : undefined;
  return {
    id: row.id,
    kind: kindOf(row.kind),
    roomId: row.roomId,
    roomName: room?.name ?? null,
    roomKind: roomKindOf(room?.kind),
    messageId: row.messageId,
    seq: row.seq,
    actor: actor && row.actorId ? { id: row.actorId, username: actor.username, displayName: actor.displayName } : null,
    excerpt: text ? excerptOf(text) : null,
    count: row.count,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
  };
}
