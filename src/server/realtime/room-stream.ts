import { tracked } from '@trpc/server';
import { isDurable, type DurableRoomEvent, type RoomBusEvent, type RoomStreamEvent } from '../chat/events.ts';
import { eventsAfter } from '../chat/log.ts';
import type { Services } from '../services.ts';
import { channels } from './events.ts';
import { onlineInRoom } from './presence.ts';
import { EventQueue, OVERFLOW } from './queue.ts';

type Deps = Pick<Services, 'db' | 'bus' | 'config' | 'presence'>;
const PAGE = 500;

interface Stream {
  roomId: string;
  userId: string;
  /** The last durable seq delivered (or known to the client). */
  cursor: number;
  ended: boolean;
}

/** A member's own removal ends their stream, after they have seen it. */
const endsStream = (event: DurableRoomEvent, userId: string) => event.type === 'member.left' && event.userId === userId;

/**
 * Durable events after the cursor, from the database log, in seq order. A gap
 * larger than REPLAY_LIMIT yields `reset` (tracked, so the client's cursor moves
 * past it) and the client refetches history instead: never a silent gap.
 */
async function* replay(deps: Deps, stream: Stream) {
  const room = await deps.db.room.findUnique({ where: { id: stream.roomId }, select: { lastSeq: true } });
  if (!room) {
    stream.ended = true;
    return;
  }
  if (room.lastSeq - stream.cursor > deps.config.REPLAY_LIMIT) {
    stream.cursor = room.lastSeq;
    yield tracked(String(room.lastSeq), { type: 'reset', roomId: stream.roomId, lastSeq: room.lastSeq } as RoomStreamEvent);
    return;
  }
  for (;;) {
    const events = await eventsAfter(deps.db, { roomId: stream.roomId, afterSeq: stream.cursor, limit: PAGE });
    for (const event of events) {
      stream.cursor = event.seq;
      yield tracked(String(event.seq), event as RoomStreamEvent);
      if (endsStream(event, stream.userId)) {
        stream.ended = true;
        return;
      }
    }
    if (events.length < PAGE) return;
  }
}

/**
 * `events.room`: every durable event of the room exactly once, in seq order,
 * then live. The bus listener is attached *before* the catch-up query, so an
 * event committed while we read the log is either in the log (and skipped when
 * it arrives live, being at or below the cursor) or arrives live: never lost,
 * never twice. A live event that skips ahead of the cursor (the bus reordered
 * or lost one) sends us back to the log to fill the gap. The first event is a
 * presence snapshot, so a client knows who is online without another call.
 */
export async function* roomEvents(
  deps: Deps,
  { roomId, userId, lastEventId, signal }: { roomId: string; userId: string; lastEventId?: number; signal?: AbortSignal },
) {
  const queue = new EventQueue<RoomBusEvent>();
  const unsubscribe = deps.bus.subscribe(channels.room(roomId), (event) => queue.push(event as RoomBusEvent));
  const stop = () => queue.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const stream: Stream = { roomId, userId, cursor: lastEventId ?? 0, ended: false };
    // Who is online now; later changes follow as they happen.
    yield { type: 'presence', roomId, online: await onlineInRoom(deps, { roomId }) } as RoomStreamEvent;
    if (lastEventId === undefined) {
      // A fresh subscription starts at the present; history comes from messages.history.
      const room = await deps.db.room.findUnique({ where: { id: roomId }, select: { lastSeq: true } });
      stream.cursor = room?.lastSeq ?? 0;
    } else {
      yield* replay(deps, stream);
    }
    while (!stream.ended) {
      const event = await queue.next();
      if (event === undefined) return;
      if (event === OVERFLOW) {
        yield* replay(deps, stream);
        continue;
      }
      if (!isDurable(event)) {
        if (event.type === 'room.deleted') return;
        if (event.type === 'typing' && event.userId === userId) continue;
        yield event as RoomStreamEvent;
        continue;
      }
      if (event.seq <= stream.cursor) continue;
      if (event.seq > stream.cursor + 1) {
        yield* replay(deps, stream);
        continue;
      }
      stream.cursor = event.seq;
      yield tracked(String(event.seq), event as RoomStreamEvent);
      if (endsStream(event, userId)) return;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    unsubscribe();
  }
}
