import { WebSocket } from 'ws';
import { CloseCode } from '../../shared/wire.ts';

/** What the endpoint keeps for each socket: one object, its methods on its prototype. */
export interface SocketOwner {
  /** Every frame the client sends (the message hook: see SocketConnection.message). */
  message(data: Buffer, isBinary: boolean): void;
  closed(code: number): void;
  error(err: Error): void;
  /** The socket was closed with 4008 "too slow". */
  cutForSlowness(): void;
}

/**
 * The server's WebSocket class (ws's `WebSocket` option). What Hearth adds to
 * each socket lives in methods here and in listeners shared by every socket,
 * not in closures made per socket: the server holds tens of thousands of
 * sockets, and under tsx every closure also carries a dictionary of its own
 * (esbuild's keepNames), some 300 bytes each.
 *
 * `send` bounds the socket's unsent output: once more than `maxBuffered`
 * bytes wait, the socket is closed with 4008 "too slow" (after what is
 * queued, so a client that reads again sees it); its client reconnects and
 * resumes from its last event id, missing nothing. tRPC's adapter (replies,
 * its own subscriptions, pings) and the room frame writer both write through it.
 */
export class HearthSocket extends WebSocket {
  owner: SocketOwner | null = null;
  maxBuffered = Number.POSITIVE_INFINITY;

  /** Routes the socket's events to its owner, through listeners every socket shares. */
  own(owner: SocketOwner, hook: boolean): void {
    this.owner = owner;
    if (hook) this.on('message', toOwnerMessage);
    this.on('close', toOwnerClosed).on('error', toOwnerError);
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

function toOwnerMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as HearthSocket).owner?.message(data, isBinary);
}

function toOwnerClosed(this: WebSocket, code: number): void {
  (this as HearthSocket).owner?.closed(code);
}

function toOwnerError(this: WebSocket, err: Error): void {
  (this as HearthSocket).owner?.error(err);
}
