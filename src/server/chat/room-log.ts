import type { LogEntry, Store } from '../store/store.ts';
import { roomChangeSchema, type DurableRoomEvent } from './room-events.ts';
import { toPublicMessage } from './serialize.ts';

/** Member and room-detail entries one history page carries at most (the newest of its range). */
export const PAGE_ROOM_EVENTS = 200;

export type RoomNoticeEvent = Extract<DurableRoomEvent, { type: 'member.joined' | 'member.left' | 'room.updated' }>;

/** One log entry as the stream event it was published as. */
export function toRoomEvent(roomId: string, entry: LogEntry): DurableRoomEvent {
  const base = { roomId, seq: entry.seq };
  switch (entry.type) {
    case 'message.created':
    case 'message.updated':
      return { ...base, type: entry.type, message: toPublicMessage(entry.message!) };
    case 'message.deleted':
      return { ...base, type: 'message.deleted', messageId: entry.messageId! };
    case 'member.joined':
    case 'member.left':
      return { ...base, type: entry.type, userId: entry.userId!, actorId: entry.actorId };
    case 'reaction.added':
    case 'reaction.removed':
      return { ...base, type: entry.type, messageId: entry.messageId!, userId: entry.userId!, emoji: entry.detail! };
    case 'room.updated':
      return { ...base, type: 'room.updated', actorId: entry.actorId, change: roomChangeSchema.parse(JSON.parse(entry.detail ?? 'null')) };
    default:
      throw new Error(`Unknown room log entry type ${entry.type} at ${roomId}#${entry.seq}`);
  }
}

/**
 * The log after `afterSeq`, oldest first, as stream events. Messages are read
 * in their current state, so a replay never resurrects a deleted body and the
 * replayed result equals `messages.history`.
 */
export async function eventsAfter(
  deps: { store: Pick<Store, 'log'> },
  { roomId, afterSeq, limit }: { roomId: string; afterSeq: number; limit: number },
): Promise<DurableRoomEvent[]> {
  const entries = await deps.store.log.entriesAfter(roomId, afterSeq, limit);
  return entries.map((entry) => toRoomEvent(roomId, entry));
}

/** Who joined, left, and what changed in the room with afterSeq < seq < beforeSeq (the newest PAGE_ROOM_EVENTS), oldest first. */
export async function roomEventsBetween(
  deps: { store: Pick<Store, 'log'> },
  { roomId, afterSeq, beforeSeq }: { roomId: string; afterSeq: number; beforeSeq: number },
): Promise<RoomNoticeEvent[]> {
  const entries = await deps.store.log.roomEntriesBetween(roomId, { afterSeq, beforeSeq, limit: PAGE_ROOM_EVENTS });
  return entries.map((entry) => toRoomEvent(roomId, entry) as RoomNoticeEvent);
}
