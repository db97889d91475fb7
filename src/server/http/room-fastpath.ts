import { z } from 'zod';
import type { Context } from '../api/context.ts';
import type { SubscriptionSlots } from '../api/subscription-slots.ts';
import { requireMembership } from '../chat/memberships.ts';
import { RoomSubscriber } from '../realtime/subscriber.ts';
import type { Services } from '../app/services.ts';
import type { HearthSocket } from './hearth-socket.ts';
import { duplicateIdFrame, FrameSink, startedFrame, stoppedFrame } from './room-frames.ts';

const input = z.object({ roomId: z.uuid(), lastEventId: z.string().regex(/^\d{1,15}$/).nullish() });

interface TrpcRequest {
  id?: string | number | null;
  method?: string;
  params?: { path?: string; input?: unknown; lastEventId?: string };
}

type SubscribeRequest = TrpcRequest & { id: string | number; params: NonNullable<TrpcRequest['params']> };

/** One subscription: while it is set up, `subscriber` is null (a stop then just removes it). */
interface Entry {
  subscriber: RoomSubscriber | null;
  release: () => void;
}

/**
 * Serves a socket's `events.room` subscriptions from the room fan-out,
 * keeping tRPC's wire protocol (so the stock client works unchanged) but not
 * its per-subscriber async loop, which costs ~7x the CPU per delivery and
 * ~50 KB per subscription. Every other message, and any subscription we do
 * not take (bad input, not a member, no session), goes to tRPC's own handler
 * untouched, which answers it with the usual typed error. Each subscription
 * holds one of the connection's `slots`; with none left, the request goes to
 * tRPC too, whose middleware refuses it (TOO_MANY_REQUESTS) like any other.
 */
export class RoomSubscriptions {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ws: HearthSocket,
    private readonly services: Services,
    private readonly connection: { whenContext(): Promise<Context | null> },
    private readonly slots?: SubscriptionSlots,
  ) {}

  /** Takes the frame's room subscriptions and stops; true when nothing is left for tRPC. */
  intercept(data: Buffer): boolean {
    const text = data.toString();
    if (!text.includes('events.room') && !text.includes('subscription.stop')) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return false;
    }
    const requests = (Array.isArray(parsed) ? parsed : [parsed]) as TrpcRequest[];
    // What is left goes to tRPC, whose maxBatchSize (MAX_BATCH_CALLS) caps it.
    // Room subscriptions taken here are not counted: the connection's slots
    // bound them, and tRPC's client resubscribes every one in a single frame
    // after a reconnect.
    const rest = requests.filter((request) => !this.take(request));
    if (rest.length === requests.length) return false;
    if (rest.length > 0) this.ws.forward(rest.length === 1 ? rest[0] : rest);
    return true;
  }

  /** The socket closed: every subscription ends. */
  closeAll(): void {
    for (const key of [...this.entries.keys()]) this.remove(key);
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.release();
    if (entry.subscriber) {
      this.services.hub.detach(entry.subscriber);
      this.services.metrics.subscriptions -= 1;
    }
  }

  private take(request: TrpcRequest): boolean {
    // Ids other than strings and numbers are tRPC's to refuse (PARSE_ERROR).
    if (typeof request !== 'object' || request === null || (typeof request.id !== 'string' && typeof request.id !== 'number')) return false;
    const key = JSON.stringify(request.id);
    const { ws } = this;
    if (request.method === 'subscription.stop' && this.entries.has(key)) {
      this.remove(key);
      if (ws.readyState === ws.OPEN) ws.send(stoppedFrame(request.id));
      return true;
    }
    if (request.method !== 'subscription' || request.params?.path !== 'events.room') return false;
    if (this.entries.has(key)) {
      ws.send(duplicateIdFrame(request.id));
      return true;
    }
    const release = this.slots ? this.slots.take() : () => {};
    if (!release) return false;
    // The entry is this setup's own marker: a stop (or a new subscription
    // reusing the id) during setup is noticed when setup resumes.
    const entry: Entry = { subscriber: null, release };
    this.entries.set(key, entry);
    this.subscribe(key, request as SubscribeRequest, entry).catch((err: unknown) => {
      this.services.log.error({ err }, 'room subscription failed');
      if (this.entries.get(key) === entry) this.remove(key);
    });
    return true;
  }

  private async subscribe(key: string, request: SubscribeRequest, entry: Entry): Promise<void> {
    const { ws, services } = this;
    const ctx = await this.connection.whenContext();
    const raw = { ...(request.params.input as object), ...(request.params.lastEventId !== undefined ? { lastEventId: request.params.lastEventId } : {}) };
    const parsed = input.safeParse(raw);
    const access =
      ctx?.session && parsed.success
        ? await requireMembership(services, { roomId: parsed.data.roomId, userId: ctx.session.userId }).catch(() => null)
        : null;
    if (this.entries.get(key) !== entry) return; // stopped, or the socket closed, while we looked
    if (!access || !parsed.success || !ctx?.session) {
      this.remove(key); // gives the slot back before tRPC takes one to answer
      if (ws.readyState === ws.OPEN) ws.forward(request); // tRPC answers it: BAD_REQUEST, FORBIDDEN, NOT_FOUND…
      return;
    }
    if (ws.readyState !== ws.OPEN) return this.remove(key);
    const { lastEventId } = parsed.data;
    if (lastEventId) services.metrics.resubscriptions.inc();
    const sink = new FrameSink(ws, request.id, services.metrics, this, key);
    const cursor = lastEventId ? Number(lastEventId) : undefined;
    entry.subscriber = new RoomSubscriber(services, { roomId: access.room.id, userId: ctx.session.userId, cursor, joinedSeq: access.membership.joinedSeq }, sink);
    services.metrics.subscriptions += 1;
    ws.send(startedFrame(request.id));
    services.hub.attach(entry.subscriber);
    await entry.subscriber.start();
  }
}
