import type { Store } from '../store/store.ts';
import type { DurableRoomEvent } from './room-events.ts';
import { toPublicMessage } from './serialize.ts';

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
  return entries.map((entry): DurableRoomEvent => {
    const base = { roomId, seq: entry.seq };
    switch (entry.type) {
      case 'message.created':
      case 'message.updated':
        return { ...base, type: entry.type, message: toPublicMessage(entry.message!) };
      case 'message.deleted':
        return { ...base, type: 'message.deleted', messageId: entry.messageId! };
      case 'member.joined':
      case 'member.left':
        return { ...base, type: entry.type, userId: entry.userId! };
      default:
        throw new Error(`Unknown room log entry type ${entry.type} at ${roomId}#${entry.seq}`);
    }
  });
}
