import { isDurable, type DurableRoomEvent, type RoomBusEvent } from '../chat/room-events.ts';
import { eventsAfter } from '../chat/room-log.ts';
import { hides, type HiddenView } from '../chat/hide.ts';
import type { Config } from '../app/config.ts';
import type { Store } from '../store/store.ts';
import { onlineInRoom, type Presence } from './presence.ts';

/** `hub` by shape: the hub holds subscribers, so naming its class here would make an import cycle. */
export type SubscriberDeps = {
  store: Pick<Store, 'log' | 'memberships'>;
  config: Pick<Config, 'REPLAY_LIMIT'>;
  presence: Pick<Presence, 'onlineAmong'>;
  hub: { ready(roomId: string): Promise<void> };
};
/** The event's JSON, built at most once however many subscribers send it. */
export type Json = () => string;

/** Where a subscriber's events go: its RoomStream, then a sink (frames, or tRPC's iterator). */
export interface Sink {
  durable(seq: number, event: RoomBusEvent | ResetEvent, json: Json): void;
  ephemeral(event: RoomBusEvent, json: Json): void;
  /** The stream is over (removed from the room, room deleted). */
  end(): void;
}

/** Who watches which room, from where. */
export interface Subscription {
  roomId: string;
  userId: string;
  /** The last seq the client saw (its lastEventId); undefined: start at the present. */
  cursor?: number;
  /** The seq of the member.joined that began the user's current membership (Membership.joinedSeq). */
  joinedSeq: number;
  /** What the member deleted for themselves (chat/hide.ts); null or absent: nothing, and no event pays for a check. */
  hidden?: HiddenView | null;
}

/** "Refetch history and carry on from lastSeq": the log cannot take the client from its cursor to the present. */
export interface ResetEvent {
  type: 'reset';
  roomId: string;
  lastSeq: number;
}

const PAGE = 500;
const PENDING_CAP = 10_000;

/**
 * One member's view of one room's stream: every durable event exactly once,
 * in seq order, then live. It is registered with the room's hub (listening)
 * *before* it reads the log; while it reads, live events wait in `pending`,
 * and anything at or below the cursor is skipped. A live event that skips
 * ahead of the cursor (the bus reordered or lost one) sends it back to the
 * database to fill the gap. Starts with a presence snapshot, tracked at the
 * cursor, so even a fresh subscription has a last event id to resume from.
 * A cursor the log cannot continue from gets a `reset` at the room's last seq
 * instead of a silent gap: one beyond it, one too far behind (REPLAY_LIMIT),
 * and one whose replay reaches the end of an earlier membership of this user.
 */
export class RoomSubscriber {
  private live = false;
  private ended = false;
  private pending: Array<{ event: RoomBusEvent; json: Json }> = [];
  private overflowed = false;
  private catchingUp: Promise<void> | null = null;
  readonly roomId: string;
  readonly userId: string;
  private cursor: number | undefined;
  private readonly joinedSeq: number;
  private readonly hidden: HiddenView | null;

  constructor(
    private readonly deps: SubscriberDeps,
    { roomId, userId, cursor, joinedSeq, hidden = null }: Subscription,
    private readonly sink: Sink,
  ) {
    this.roomId = roomId;
    this.userId = userId;
    this.cursor = cursor;
    this.joinedSeq = joinedSeq;
    this.hidden = hidden;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Resumes from a client's lastEventId (until start() moves the cursor). */
  get resumes(): boolean {
    return this.cursor !== undefined;
  }

  async start(): Promise<void> {
    await this.deps.hub.ready(this.roomId);
    const lastSeq = await this.lastSeq();
    if (lastSeq === undefined) return this.finish();
    // Beyond the room's last seq (a database restored from backup, a forged id):
    // the room has not reached it, so nothing may be tracked there.
    const beyond = this.cursor !== undefined && this.cursor > lastSeq;
    // A fresh subscription starts at the present; history comes from messages.history.
    if (this.cursor === undefined || beyond) this.cursor = lastSeq;
    const online = await onlineInRoom(this.deps, { roomId: this.roomId });
    if (this.ended) return;
    // The reset first: a client that drops right after it has already been told.
    if (beyond) this.reset(lastSeq);
    // Tracked at the cursor: a client that drops before any other tracked event
    // resumes from where this stream began, not from whenever it reconnects.
    const presence = { type: 'presence', roomId: this.roomId, online } as const;
    this.sink.durable(this.cursor, presence, () => JSON.stringify(presence));
    await this.catchUp(lastSeq);
  }

  /** Called by the hub for every event on the room's channel. */
  onEvent(event: RoomBusEvent, json: Json): void {
    if (this.ended) return;
    if (!this.live) {
      if (this.pending.length >= PENDING_CAP) {
        // Durable events are in the log; only ephemeral ones are lost to a flood.
        this.pending = [];
        this.overflowed = true;
      }
      this.pending.push({ event, json });
      return;
    }
    if (!this.deliver(event, json)) {
      this.pending.push({ event, json });
      void this.catchUp();
    }
  }

  /** The bus may have dropped events (it reconnected): check the log from the cursor. */
  resync(): void {
    if (!this.ended && this.cursor !== undefined) void this.catchUp();
  }

  stop(): void {
    this.ended = true;
    this.pending = [];
  }

  /** Delivers an event in order; false when it lies beyond a gap the log must fill first. */
  private deliver(event: RoomBusEvent, json: Json): boolean {
    if (!isDurable(event)) {
      if (event.type === 'room.deleted') this.finish();
      else if (!(event.type === 'typing' && event.userId === this.userId)) this.sink.ephemeral(event, json);
      return true;
    }
    const cursor = this.cursor ?? 0;
    if (event.seq <= cursor) return true;
    if (event.seq > cursor + 1) return false;
    return this.send(event, json);
  }

  /** False, sending nothing, at an earlier membership's end: only a reset moves past it. */
  private send(event: DurableRoomEvent, json: Json): boolean {
    if (event.type === 'member.left' && event.userId === this.userId) return this.sendOwnLeft(event, json);
    this.cursor = event.seq;
    // Deleted for me: passed over, live and in replay, as if it were not there.
    if (this.hidden !== null && hides(this.hidden, event)) return true;
    this.sink.durable(event.seq, event, json);
    return true;
  }

  /**
   * Their removal ends the stream, unless it ended an earlier membership (they
   * were removed, added back, and resume from before): stopping there would
   * stop a member's stream, replaying on would cross the time they were not one.
   */
  private sendOwnLeft(event: DurableRoomEvent, json: Json): boolean {
    if (event.seq < this.joinedSeq) return false;
    this.cursor = event.seq;
    this.sink.durable(event.seq, event, json);
    this.finish();
    return true;
  }

  /** Tracked at lastSeq, so the client's cursor moves on; it refetches history. */
  private reset(lastSeq: number): void {
    const reset: ResetEvent = { type: 'reset', roomId: this.roomId, lastSeq };
    this.cursor = lastSeq;
    this.sink.durable(lastSeq, reset, () => JSON.stringify(reset));
  }

  private finish(): void {
    if (this.ended) return;
    this.stop();
    this.sink.end();
  }

  /** The room's last seq (undefined: the room is gone). */
  private lastSeq(): Promise<number | undefined> {
    return this.deps.store.log.lastSeq(this.roomId);
  }

  /**
   * Log first, then whatever waited; repeats while the waiting events leave a
   * gap. `knownLastSeq`: start() just read it, so the first replay need not.
   */
  private catchUp(knownLastSeq?: number): Promise<void> {
    this.live = false;
    this.catchingUp ??= (async () => {
      try {
        for (let known = knownLastSeq; ; known = undefined) {
          await this.replay(known);
          if (this.ended) return;
          const waiting = this.pending;
          this.pending = [];
          let gap = false;
          for (const [i, { event, json }] of waiting.entries()) {
            if (this.ended) return;
            if (!this.deliver(event, json)) {
              this.pending = [...waiting.slice(i), ...this.pending];
              gap = true;
              break;
            }
          }
          if (!gap && !this.overflowed) {
            this.live = true;
            return;
          }
          this.overflowed = false;
        }
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  private async replay(knownLastSeq?: number): Promise<void> {
    const lastSeq = knownLastSeq ?? (await this.lastSeq());
    if (lastSeq === undefined) return this.finish();
    if (this.ended) return;
    // Too much to replay: say so and let the client refetch.
    if (lastSeq - (this.cursor ?? 0) > this.deps.config.REPLAY_LIMIT) return this.reset(lastSeq);
    for (;;) {
      const events = await eventsAfter(this.deps, { roomId: this.roomId, afterSeq: this.cursor ?? 0, limit: PAGE });
      for (const event of events) {
        if (this.ended) return;
        if (event.seq <= (this.cursor ?? 0)) continue;
        // An earlier membership's end lies below joinedSeq, and so below lastSeq.
        if (!this.send(event, () => JSON.stringify(event))) return this.reset(lastSeq);
      }
      if (events.length < PAGE || this.ended) return;
    }
  }
}
