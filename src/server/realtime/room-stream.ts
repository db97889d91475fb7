import { z } from 'zod';
import type { RoomBusEvent } from '../chat/room-events.ts';
import { hiddenViewOf } from '../chat/hide.ts';
import { requireMembership } from '../chat/memberships.ts';
import { AppError, isAppError } from '../lib/app-error.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { RoomHub } from './hub.ts';
import type { SubscriptionSlots } from './subscription-slots.ts';
import { RoomSubscriber, type Json, type ResetEvent, type Sink, type SubscriberDeps } from './room-subscriber.ts';

/**
 * `events.room`: one member's live view of one room. This module is the whole
 * of it, whichever way it is served: the router's async iterator
 * (room-stream-iterator.ts) and the WebSocket frame writer (ws/room-frames.ts)
 * are sinks that only write what a RoomStream hands them.
 */

/** The subscription's input, parsed the same on both paths (a field added here reaches both). */
export const roomStreamInput = z.object({
  roomId: z.uuid({ message: 'must be a valid id' }),
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a seq')
    .nullish(),
});
export type RoomStreamInput = z.infer<typeof roomStreamInput>;

export type RoomStreamDeps = SubscriberDeps &
  Parameters<typeof requireMembership>[0] &
  Parameters<typeof hiddenViewOf>[0] & {
    hub: Pick<RoomHub, 'attach' | 'detach' | 'ready'>;
    metrics: Pick<Metrics, 'subscriptions' | 'delivered' | 'resubscriptions' | 'subscriptionsRefused'>;
  };

export interface RoomStreamRequest {
  userId: string;
  input: RoomStreamInput;
  /** Over WebSocket: the stream holds one of these until it closes. */
  slots?: SubscriptionSlots;
}

/**
 * Admits a request (a slot, then membership) and returns its stream, attached
 * to the room's fan-out but not started; or the refusal, as an AppError, for
 * the caller to answer. Refusals are not counted here: the frame writer hands
 * every request it cannot serve to tRPC, whose sink asks again and counts.
 */
export async function openRoomStream(deps: RoomStreamDeps, { userId, input, slots }: RoomStreamRequest, out: Sink): Promise<RoomStream | AppError> {
  if (slots && !slots.take()) return slots.full();
  try {
    const { room, membership } = await requireMembership(deps, { roomId: input.roomId, userId });
    const cursor = input.lastEventId ? Number(input.lastEventId) : undefined;
    const hidden = await hiddenViewOf(deps, membership);
    return new RoomStream(deps, out, slots, { roomId: room.id, userId, cursor, joinedSeq: membership.joinedSeq, hidden });
  } catch (error) {
    slots?.release();
    if (isAppError(error)) return error;
    throw error;
  }
}

/**
 * One open subscription: replay-then-live by its RoomSubscriber, counted
 * (subscriptions, deliveries, resubscriptions) here and only here, so both
 * sinks count alike. `close()` undoes what opening did, once.
 */
export class RoomStream implements Sink {
  private readonly subscriber: RoomSubscriber;
  private open = true;

  constructor(
    private readonly deps: RoomStreamDeps,
    private readonly out: Sink,
    private readonly slots: SubscriptionSlots | undefined,
    subscription: ConstructorParameters<typeof RoomSubscriber>[1],
  ) {
    this.subscriber = new RoomSubscriber(deps, subscription, this);
    deps.metrics.subscriptions += 1;
    // Listening before the replay reads the log: nothing published meanwhile is missed.
    deps.hub.attach(this.subscriber);
  }

  /** Replays from the cursor, then goes live. Call once the sink is ready to write. */
  start(): Promise<void> {
    if (this.subscriber.resumes) this.deps.metrics.resubscriptions.inc();
    return this.subscriber.start();
  }

  durable(seq: number, event: RoomBusEvent | ResetEvent, json: Json): void {
    this.deps.metrics.delivered();
    this.out.durable(seq, event, json);
  }

  ephemeral(event: RoomBusEvent, json: Json): void {
    this.deps.metrics.delivered();
    this.out.ephemeral(event, json);
  }

  /** The subscriber ended the stream (removal, room deleted). */
  end(): void {
    this.close();
    this.out.end();
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.deps.hub.detach(this.subscriber);
    this.deps.metrics.subscriptions -= 1;
    this.slots?.release();
  }
}
