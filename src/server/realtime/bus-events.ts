import { z } from 'zod';
import { NOTIFY_LEVELS } from '../chat/notify-levels.ts';
import { notificationItemSchema } from '../chat/notification-item.ts';
import { durableRoomEventSchema, ephemeralRoomEventSchema } from '../chat/room-events.ts';

/** Events on a user's channel: their memberships and read positions changed. */
export const userBusEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('membership.added'), userId: z.string(), roomId: z.string() }),
  z.object({ type: z.literal('membership.removed'), userId: z.string(), roomId: z.string() }),
  z.object({ type: z.literal('read'), userId: z.string(), roomId: z.string(), readSeq: z.number().int() }),
  /** My own account changed (role, display name): my open pages read `auth.me` again. */
  z.object({ type: z.literal('account.changed'), userId: z.string() }),
  /** I set my notification level in a room (rooms.setNotify): my other pages read the room again. */
  z.object({ type: z.literal('notify.changed'), userId: z.string(), roomId: z.string(), level: z.enum(NOTIFY_LEVELS) }),
  /** A notification of mine was written or took another message; `unread`: my unread notifications now. */
  z.object({ type: z.literal('notification'), userId: z.string(), notification: notificationItemSchema, unread: z.number().int() }),
  /** Some of my notifications were read (on any device): the unread count now. */
  z.object({ type: z.literal('notifications.read'), userId: z.string(), unread: z.number().int() }),
  /** A contact request, answer or block between me and `otherId`: my pages read contacts.list again. */
  z.object({ type: z.literal('contact.changed'), userId: z.string(), otherId: z.string() }),
  /** I deleted a message for myself (messages.hide): my other devices drop it. */
  z.object({ type: z.literal('message.hidden'), userId: z.string(), roomId: z.string(), messageId: z.string() }),
  /** I deleted a direct conversation for myself (rooms.hide) up to `clearedSeq`. */
  z.object({ type: z.literal('room.hidden'), userId: z.string(), roomId: z.string(), clearedSeq: z.number().int() }),
]);

const sessionRevokedSchema = z.object({
  type: z.literal('session.revoked'),
  userId: z.string(),
  // Empty means every session of the user (deactivation, "log out everywhere").
  sessionIds: z.array(z.string()),
});

/**
 * Everything that travels on the event bus, as one validated union. Events are
 * parsed where they cross a process boundary (Redis), so a malformed payload is
 * dropped at the edge instead of thrown into a subscriber.
 */
/** A user's role or profile changed: sockets holding their session refresh it from the database. */
const userChangedSchema = z.object({ type: z.literal('user.changed'), userId: z.string() });

export const busEventSchema = z.union([durableRoomEventSchema, ephemeralRoomEventSchema, userBusEventSchema, sessionRevokedSchema, userChangedSchema]);

export type BusEvent = z.infer<typeof busEventSchema>;
export type UserBusEvent = z.infer<typeof userBusEventSchema>;

/** Channel names: one per room, one per user, one for session changes. */
export const channels = {
  sessions: 'sessions',
  room: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
} as const;
