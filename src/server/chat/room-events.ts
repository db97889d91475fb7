import { z } from 'zod';

/** A message as the API shows it. A deleted message keeps its place (seq) but not its text. */
export const messageSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  roomId: z.string(),
  authorId: z.string(),
  body: z.string(),
  clientMessageId: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  /** The members it mentions (user ids), as the server parsed them; `@room` is `mentionsRoom`. */
  mentions: z.array(z.string()),
  mentionsRoom: z.boolean(),
  /** A reply: the root message of its thread; null: a message of the room itself. */
  replyToId: z.string().nullable(),
  /** Shown in the room's timeline: every root message, and the replies also sent to the room. */
  inRoom: z.boolean(),
  /** A root: its replies so far (deleted ones included) and when the last came. */
  replyCount: z.number().int(),
  lastReplyAt: z.string().nullable(),
  /** A reply: its number in the thread (1 for the first); null for a root. */
  threadIndex: z.number().int().nullable(),
  /** Who reacted with which emoji, each emoji once, ordered by its oldest reaction still there. */
  reactions: z.array(z.object({ emoji: z.string(), userIds: z.array(z.string()) })),
});
export type PublicMessage = z.infer<typeof messageSchema>;

const seq = z.number().int().positive();

/** One change to a room's details, as `room.updated` carries it and the log keeps it (RoomEvent.detail). */
export const roomChangeSchema = z.union([
  z.object({ name: z.string() }).strict(),
  z.object({ topic: z.string() }).strict(),
  z.object({ archived: z.boolean() }).strict(),
  z.object({ role: z.object({ userId: z.string(), role: z.enum(['admin', 'member']) }) }).strict(),
]);
export type RoomChange = z.infer<typeof roomChangeSchema>;

/** Durable room events: each has the room log's seq and is delivered as tracked(String(seq)). */
export const durableRoomEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), roomId: z.string(), seq, message: messageSchema }),
  z.object({ type: z.literal('message.updated'), roomId: z.string(), seq, message: messageSchema }),
  z.object({ type: z.literal('message.deleted'), roomId: z.string(), seq, messageId: z.string() }),
  /** `actorId`: who added them; null when they joined themselves (or created the room). */
  z.object({ type: z.literal('member.joined'), roomId: z.string(), seq, userId: z.string(), actorId: z.string().nullable() }),
  /** `actorId`: who removed them; null when they left themselves. */
  z.object({ type: z.literal('member.left'), roomId: z.string(), seq, userId: z.string(), actorId: z.string().nullable() }),
  /** `userId` reacted to the message with `emoji`, or took that reaction back. */
  z.object({ type: z.literal('reaction.added'), roomId: z.string(), seq, messageId: z.string(), userId: z.string(), emoji: z.string() }),
  z.object({ type: z.literal('reaction.removed'), roomId: z.string(), seq, messageId: z.string(), userId: z.string(), emoji: z.string() }),
  /** A room admin (or a Hearth admin) changed one detail of the room; `actorId` is null only for the server itself. */
  z.object({ type: z.literal('room.updated'), roomId: z.string(), seq, actorId: z.string().nullable(), change: roomChangeSchema }),
]);
export type DurableRoomEvent = z.infer<typeof durableRoomEventSchema>;

/** Ephemeral room events: live only, never replayed. */
export const ephemeralRoomEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('typing'), roomId: z.string(), userId: z.string(), typing: z.boolean() }),
  z.object({ type: z.literal('presence'), roomId: z.string(), online: z.array(z.string()) }),
  z.object({
    type: z.literal('receipt'),
    roomId: z.string(),
    userId: z.string(),
    deliveredSeq: z.number().int(),
    readSeq: z.number().int(),
  }),
  /** The room was deleted: every stream on it ends. */
  z.object({ type: z.literal('room.deleted'), roomId: z.string() }),
  /** A member's display name changed: read the room's members again. */
  z.object({ type: z.literal('member.changed'), roomId: z.string(), userId: z.string() }),
]);
export type EphemeralRoomEvent = z.infer<typeof ephemeralRoomEventSchema>;

export type RoomBusEvent = DurableRoomEvent | EphemeralRoomEvent;

/** What `events.room` yields. `reset`: the stream cannot replay from the cursor (a gap over REPLAY_LIMIT, a cursor past the room's last seq, a membership that began after it); refetch history and go on from `lastSeq`. */
export type RoomStreamEvent = DurableRoomEvent | Exclude<EphemeralRoomEvent, { type: 'room.deleted' }> | { type: 'reset'; roomId: string; lastSeq: number };

export const isDurable = (event: RoomBusEvent): event is DurableRoomEvent => 'seq' in event;
