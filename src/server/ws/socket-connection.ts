import type { Context } from '../api/context.ts';
import type { Services } from '../app/services.ts';
import type { MessageListener } from '../adapters/trpc.ts';
import type { ConnectionRegistry } from '../realtime/connections.ts';
import type { Admission, Peer } from './admission.ts';
import type { HearthSocket, SocketOwner } from './hearth-socket.ts';
import { jsonFrame, refuseOversizedBatch } from './batch-cap.ts';
import { RoomSubscriptions, type RoomSocket } from './room-subscriptions.ts';

export interface EndpointParts {
  services: Services;
  admission: Admission;
  connections: ConnectionRegistry;
}

/**
 * Everything the server keeps for one open WebSocket besides tRPC's own
 * handler: its admission record, its room subscriptions, its context once
 * tRPC's createContext settles it, and what to do when it closes.
 */
export class SocketConnection implements SocketOwner, RoomSocket {
  readonly rooms: RoomSubscriptions;
  /** tRPC's own 'message' listener, taken off the socket (adapters/trpc.ts): `message` decides what reaches it. */
  trpcMessage: MessageListener | null = null;
  private readonly openedAt = Date.now();
  /** undefined until createContext settles; null when it refused the socket. */
  private context: Context | null | undefined;
  private waiting: Array<(ctx: Context | null) => void> | null = null;

  constructor(
    private readonly parts: EndpointParts,
    readonly ws: HearthSocket,
    readonly peer: Peer | undefined,
  ) {
    this.rooms = new RoomSubscriptions(this, parts.services, peer?.subscriptions);
    parts.services.metrics.connections += 1;
    parts.services.log.debug({ connId: peer?.id, ip: peer?.ip }, 'websocket opened');
  }

  settle(ctx: Context | null): void {
    this.context = ctx;
    for (const resolve of this.waiting ?? []) resolve(ctx);
    this.waiting = null;
  }

  whenContext(): Promise<Context | null> {
    if (this.context !== undefined) return Promise.resolve(this.context);
    return new Promise((resolve) => (this.waiting ??= []).push(resolve));
  }

  /**
   * The message hook, the one way a client's frame reaches the server: the
   * room stream's frame writer takes its requests, and tRPC's handler gets
   * the rest (and every frame that is not JSON: its PONG, garbage it answers
   * with PARSE_ERROR), unless they are more than MAX_BATCH_CALLS calls. Room
   * subscriptions are not counted: the connection's slots bound them, and
   * tRPC's client resubscribes every one in a single frame after a reconnect.
   */
  message(data: Buffer, isBinary: boolean): void {
    const frame = isBinary ? undefined : jsonFrame(data);
    if (frame !== undefined && (this.rooms.intercept(frame) || this.refusedBatch(frame))) return;
    this.trpcMessage?.call(this.ws, data, isBinary);
  }

  /** Requests of a frame the room stream did not take (or refused): tRPC answers them. */
  toTrpc(requests: unknown): void {
    if (this.refusedBatch(requests)) return;
    this.trpcMessage?.call(this.ws, Buffer.from(JSON.stringify(requests)), false);
  }

  private refusedBatch(calls: unknown): boolean {
    return refuseOversizedBatch(this.ws, calls, this.parts.services.config.MAX_BATCH_CALLS);
  }

  closed(code: number): void {
    const { services, admission, connections } = this.parts;
    services.metrics.connections -= 1;
    this.rooms.closeAll();
    admission.disconnected(this.ws, this.peer);
    connections.remove(this.ws);
    services.log.debug({ connId: this.peer?.id, code, userId: this.peer?.session?.userId, ms: Date.now() - this.openedAt }, 'websocket closed');
  }

  error(err: Error): void {
    this.parts.services.log.debug({ connId: this.peer?.id, err: err.message }, 'websocket error');
  }

  cutForSlowness(): void {
    const { peer, ws } = this;
    this.parts.services.metrics.slowConsumers.inc();
    this.parts.services.log.warn(
      { connId: peer?.id, ip: peer?.ip, userId: peer?.session?.userId, bufferedBytes: ws.bufferedAmount },
      'socket too slow: closed with 4008',
    );
  }
}
