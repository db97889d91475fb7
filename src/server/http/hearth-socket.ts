import { WebSocket } from 'ws';
import { CloseCode } from '../../shared/wire.ts';

/** What the endpoint keeps for each socket: one object, its methods on its prototype. */
export interface SocketOwner {
  /** Takes a text frame (true) or leaves it to tRPC's handler (false). */
  intercept(data: Buffer): boolean;
  closed(code: number): void;
  error(err: Error): void;
  /** The socket was closed with 4008 "too slow". */
  cutForSlowness(): void;
}

/**
 * The server's WebSocket class (ws's `WebSocket` option). What Hearth adds to
 * each socket lives in methods here, not in closures made per socket: the
 * server holds tens of thousands of sockets, and under tsx every closure also
 * carries a dictionary of its own (esbuild's keepNames), some 300 bytes each.
 *
 * - `emit` lets the owner take frames before tRPC's listener sees them (the
 *   room fast path) and hears of close and error first.
 * - `send` bounds the socket's unsent output: once more than `maxBuffered`
 *   bytes wait, the socket is closed with 4008 "too slow" (after what is
 *   queued, so a client that reads again sees it); its client reconnects and
 *   resumes from its last event id, missing nothing. tRPC's adapter (replies,
 *   its own subscriptions, pings) and the room fast path both write through it.
 */
export class HearthSocket extends WebSocket {
  owner: SocketOwner | null = null;
  maxBuffered = Number.POSITIVE_INFINITY;

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const owner = this.owner;
    if (owner) {
      if (event === 'message') {
        if (args[1] === false && owner.intercept(args[0] as Buffer)) return true;
      } else if (event === 'close') owner.closed(args[0] as number);
      else if (event === 'error') owner.error(args[0] as Error);
    }
    return super.emit(event, ...args);
  }

  /** Hands a frame to tRPC's handler as if the client had sent it (past `intercept`). */
  forward(message: unknown): void {
    super.emit('message', Buffer.from(JSON.stringify(message)), false);
  }

  override close(code?: number, reason?: string | Buffer): void {
    if (code === CloseCode.tooSlow && this.readyState === this.OPEN) this.owner?.cutForSlowness();
    super.close(code, reason);
  }

  override send(data: unknown, options?: unknown, callback?: unknown): void {
    if (this.readyState === this.OPEN && this.bufferedAmount > this.maxBuffered) {
      this.close(CloseCode.tooSlow, 'Too slow: reconnect and resume');
    }
    if (this.readyState !== this.OPEN) {
      const done = typeof options === 'function' ? options : callback;
      if (typeof done === 'function') process.nextTick(done, new Error('WebSocket is not open'));
      return;
    }
    (super.send as (...args: unknown[]) => void)(data, options, callback);
  }
}
