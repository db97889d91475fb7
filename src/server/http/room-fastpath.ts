import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Context } from '../api/context.ts';
import type { SubscriptionSlots } from '../api/subscription-slots.ts';
import { requireMembership } from '../chat/memberships.ts';
import { RoomSubscriber, type Sink } from '../realtime/subscriber.ts';
import type { Services } from '../services.ts';
import { duplicateIdFrame, frameSink, startedFrame, stoppedFrame } from './room-frames.ts';

const input = z.object({ roomId: z.uuid(), lastEventId: z.string().regex(/^\d{1,15}$/).nullish() });

interface TrpcRequest {
  id?: string | number | null;
  method?: string;
  params?: { path?: string; input?: unknown; lastEventId?: string };
}

type SubscribeRequest = TrpcRequest & { id: string | number; params: NonNullable<TrpcRequest['params']> };

/**
 * Serves `events.room` subscriptions on this socket from the room fan-out,
 * keeping tRPC's wire protocol (so the stock client works unchanged) but not
 * its per-subscriber async loop, which costs ~7x the CPU per delivery and
 * ~50 KB per subscription. Every other message, and any subscription we do
 * not take (bad input, not a member, no session), goes to tRPC's own handler
 * untouched, which answers it with the usual typed error. Each subscription
 * holds one of the connection's `slots`; with none left, the request goes to
 * tRPC too, whose middleware refuses it (TOO_MANY_REQUESTS) like any other.
 */
export function serveRoomSubscriptions(ws: WebSocket, services: Services, context: Promise<Context | null>, slots?: SubscriptionSlots): void {
  // A subscription being set up holds a marker of its own, so a stop (or a new
  // subscription reusing the id) during setup is noticed when setup resumes.
  const subscriptions = new Map<string, RoomSubscriber | symbol>();
  const releases = new Map<string, () => void>();
  const emit = ws.emit;
  const toTrpc = (message: unknown) => emit.call(ws, 'message', Buffer.from(JSON.stringify(message)), false);

  ws.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
    if (event !== 'message' || args[1] === true) return emit.call(this, event, ...args);
    const text = String(args[0]);
    if (!text.includes('events.room') && !text.includes('subscription.stop')) return emit.call(this, event, ...args);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return emit.call(this, event, ...args);
    }
    const requests = (Array.isArray(parsed) ? parsed : [parsed]) as TrpcRequest[];
    const rest = requests.filter((request) => !take(request));
    if (rest.length === requests.length) return emit.call(this, event, ...args);
    if (rest.length > 0) toTrpc(rest.length === 1 ? rest[0] : rest);
    return true;
  } as typeof ws.emit;

  ws.once('close', () => {
    for (const key of [...subscriptions.keys()]) remove(key);
  });

  function take(request: TrpcRequest): boolean {
    // Ids other than strings and numbers are tRPC's to refuse (PARSE_ERROR).
    if (typeof request !== 'object' || request === null || (typeof request.id !== 'string' && typeof request.id !== 'number')) return false;
    const key = JSON.stringify(request.id);
    if (request.method === 'subscription.stop' && subscriptions.has(key)) {
      remove(key);
      if (ws.readyState === ws.OPEN) ws.send(stoppedFrame(request.id));
      return true;
    }
    if (request.method !== 'subscription' || request.params?.path !== 'events.room') return false;
    if (subscriptions.has(key)) {
      ws.send(duplicateIdFrame(request.id));
      return true;
    }
    const release = slots ? slots.take() : () => {};
    if (!release) return false;
    releases.set(key, release);
    const starting = Symbol('starting');
    subscriptions.set(key, starting);
    void subscribe(key, request as SubscribeRequest, starting).catch((err) => {
      services.log.error({ err }, 'room subscription failed');
      if (subscriptions.get(key) === starting) remove(key);
    });
    return true;
  }

  async function subscribe(key: string, request: SubscribeRequest, starting: symbol) {
    const ctx = await context;
    const raw = { ...(request.params.input as object), ...(request.params.lastEventId !== undefined ? { lastEventId: request.params.lastEventId } : {}) };
    const parsed = input.safeParse(raw);
    const access =
      ctx?.session && parsed.success
        ? await requireMembership(services, { roomId: parsed.data.roomId, userId: ctx.session.userId }).catch(() => null)
        : null;
    if (subscriptions.get(key) !== starting) return; // stopped, or the socket closed, while we looked
    if (!access || !parsed.success || !ctx?.session) {
      remove(key); // gives the slot back before tRPC takes one to answer
      if (ws.readyState === ws.OPEN) toTrpc(request); // tRPC answers it: BAD_REQUEST, FORBIDDEN, NOT_FOUND…
      return;
    }
    if (ws.readyState !== ws.OPEN) return void remove(key);
    const { lastEventId } = parsed.data;
    if (lastEventId) services.metrics.resubscriptions.inc();
    const sink = counted(frameSink(ws, request.id, services.config.WS_MAX_BUFFERED_BYTES, () => remove(key)));
    const subscriber = new RoomSubscriber(services, access.room.id, ctx.session.userId, lastEventId ? Number(lastEventId) : undefined, sink);
    subscriptions.set(key, subscriber);
    services.stats.subscriptions += 1;
    ws.send(startedFrame(request.id));
    services.hub.attach(subscriber);
    await subscriber.start();
  }

  function remove(key: string): void {
    const subscriber = subscriptions.get(key);
    subscriptions.delete(key);
    releases.get(key)?.();
    releases.delete(key);
    if (subscriber instanceof RoomSubscriber) {
      services.hub.detach(subscriber);
      services.stats.subscriptions -= 1;
    }
  }

  /** Counts deliveries for /metrics. */
  function counted(sink: Sink): Sink {
    return {
      durable(seq, event, json) {
        services.metrics.delivered();
        sink.durable(seq, event, json);
      },
      ephemeral(event, json) {
        services.metrics.delivered();
        sink.ephemeral(event, json);
      },
      end: () => sink.end(),
    };
  }
}
