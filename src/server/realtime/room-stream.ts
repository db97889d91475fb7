import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { RoomStreamEvent } from '../chat/room-events.ts';
import type { Services } from '../app/services.ts';
import { EventQueue } from './queue.ts';
import { RoomSubscriber, type Sink } from './subscriber.ts';

type Deps = Pick<Services, 'store' | 'config' | 'presence' | 'hub'>;
type Item = TrackedEnvelope<RoomStreamEvent> | RoomStreamEvent;

/**
 * `events.room` as an async generator: the same RoomSubscriber the WebSocket
 * fast path uses, feeding a queue instead of a socket. tRPC serves it to any
 * caller the fast path does not intercept (createCaller, other transports).
 * `joinedSeq`: the caller's Membership.joinedSeq, from the access check;
 * without it, any removal of theirs that the replay reaches ends the stream.
 */
export async function* roomEvents(
  deps: Deps,
  { roomId, userId, joinedSeq = 0, lastEventId, signal }: { roomId: string; userId: string; joinedSeq?: number; lastEventId?: number; signal?: AbortSignal },
) {
  const queue = new EventQueue<Item>(Number.MAX_SAFE_INTEGER);
  const sink: Sink = {
    durable: (seq, event) => queue.push(tracked(String(seq), event as RoomStreamEvent)),
    ephemeral: (event) => queue.push(event as RoomStreamEvent),
    end: () => queue.close(),
  };
  const subscriber = new RoomSubscriber(deps, { roomId, userId, cursor: lastEventId, joinedSeq }, sink);
  const stop = () => queue.close();
  signal?.addEventListener('abort', stop, { once: true });
  deps.hub.attach(subscriber);
  try {
    void subscriber.start().catch(stop);
    for (;;) {
      const item = await queue.next();
      if (item === undefined || typeof item === 'symbol') return;
      yield item;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    deps.hub.detach(subscriber);
  }
}
