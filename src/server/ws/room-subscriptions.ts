import type { TRPCClientOutgoingMessage, TRPCRequestMessage } from '@trpc/server/unstable-core-do-not-import';
import type { Context } from '../api/context.ts';
import type { SubscriptionSlots } from '../realtime/subscription-slots.ts';
import type { Services } from '../app/services.ts';
import { duplicateIdFrame, parsedRequest, replyHead, startedFrame, stoppedFrame, subscriptionInput } from '../adapters/trpc.ts';
import { openRoomStream, RoomStream, roomStreamInput } from '../realtime/room-stream.ts';
import type { HearthSocket } from './hearth-socket.ts';
import { FrameSink } from './room-frames.ts';

const PATH = 'events.room';

/** What a socket's room subscriptions need of its connection. */
export interface RoomSocket {
  readonly ws: HearthSocket;
  whenContext(): Promise<Context | null>;
  /** Hands frames to tRPC's own handler, as if the client had sent them. */
  toTrpc(requests: unknown): void;
}

/**
 * One socket's `events.room` subscriptions, served by the room stream's frame
 * writer. Requests come from the socket connection's message hook; what is
 * not taken here goes to tRPC untouched, and so does every request the room
 * stream refuses (no session, bad input, not a member, no slot left): tRPC's
 * sink asks the same module again and answers with its usual typed error.
 */
export class RoomSubscriptions {
  private readonly entries = new Map<string, FrameSink>();

  constructor(
    private readonly socket: RoomSocket,
    private readonly services: Services,
    private readonly slots?: SubscriptionSlots,
  ) {}

  /**
   * Takes the frame's room subscriptions and stops (`parsed`: the frame's
   * JSON); true when nothing is left for tRPC. A frame tRPC would refuse
   * whole (a request it cannot read) is left whole to it.
   */
  intercept(parsed: unknown): boolean {
    const batch = Array.isArray(parsed);
    const raw = batch ? (parsed as unknown[]) : [parsed];
    const requests = raw.map(parsedRequest);
    if (requests.some((request) => request === null)) return false;
    const rest = raw.filter((_, i) => !this.take(requests[i]!));
    if (rest.length === raw.length) return false;
    if (rest.length > 0) this.socket.toTrpc(rest.length === 1 && !batch ? rest[0] : rest);
    return true;
  }

  /** Subscriptions held (or being set up) here: tests check the frame writer serves them. */
  get size(): number {
    return this.entries.size;
  }

  /** The socket closed: every subscription ends. */
  closeAll(): void {
    for (const sink of this.entries.values()) sink.stream?.close();
    this.entries.clear();
  }

  forget(key: string, sink: FrameSink): void {
    if (this.entries.get(key) === sink) this.entries.delete(key);
  }

  private take(request: TRPCClientOutgoingMessage): boolean {
    const { ws } = this.socket;
    const key = JSON.stringify(request.id);
    if (request.method === 'subscription.stop') {
      const sink = this.entries.get(key);
      if (!sink) return false;
      this.entries.delete(key);
      sink.stream?.close();
      ws.send(stoppedFrame(sink.head));
      return true;
    }
    if (request.method !== 'subscription' || request.params.path !== PATH) return false;
    const head = replyHead(request.id!, request.jsonrpc);
    if (this.entries.has(key)) {
      ws.send(duplicateIdFrame(head, request.id!, PATH));
      return true;
    }
    // The sink marks this setup: a stop (or a new subscription reusing the
    // id) while it runs is noticed when it resumes.
    const sink = new FrameSink(ws, head, this, key);
    this.entries.set(key, sink);
    this.subscribe(sink, request).catch((err: unknown) => {
      this.services.log.error({ err }, 'room subscription failed');
      sink.stream?.close();
      this.forget(key, sink);
    });
    return true;
  }

  private async subscribe(sink: FrameSink, request: TRPCRequestMessage): Promise<void> {
    const { ws } = this.socket;
    const ctx = await this.socket.whenContext();
    const input = roomStreamInput.safeParse(subscriptionInput(request.params));
    const userId = ctx?.session?.userId;
    const stream = userId && input.success ? await openRoomStream(this.services, { userId, input: input.data, slots: this.slots }, sink) : null;
    const current = this.entries.get(sink.key) === sink;
    if (!(stream instanceof RoomStream)) {
      this.forget(sink.key, sink);
      if (current && ws.readyState === ws.OPEN) this.socket.toTrpc(request); // UNAUTHORIZED, BAD_REQUEST, FORBIDDEN…
      return;
    }
    if (!current || ws.readyState !== ws.OPEN) {
      stream.close(); // stopped, or the socket closed, while we looked
      return this.forget(sink.key, sink);
    }
    sink.stream = stream;
    ws.send(startedFrame(sink.head));
    await stream.start();
  }
}
