import type { WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';

/**
 * Bounds what one socket may hold unsent. tRPC's adapter (responses, its own
 * subscriptions, pings) and the room fast path all write with `ws.send`; a
 * client that stops reading would otherwise have the server buffer for it
 * without limit. Once more than `maxBuffered` bytes wait, the socket is closed
 * with 4008 "too slow" (after what is already queued, so a client that reads
 * again sees it), and its client reconnects and resumes from its last event
 * id, missing nothing. `onCut` hears of every such close, including those the
 * room fast path makes itself.
 */
export function boundOutput(ws: WebSocket, maxBuffered: number, onCut: () => void): void {
  const send = ws.send;
  const close = ws.close;
  ws.close = function (this: WebSocket, code?: number, reason?: string | Buffer) {
    if (code === CloseCode.tooSlow && this.readyState === this.OPEN) onCut();
    return close.call(this, code, reason);
  };
  ws.send = function (this: WebSocket, ...args: unknown[]) {
    if (this.readyState === this.OPEN && this.bufferedAmount > maxBuffered) {
      this.close(CloseCode.tooSlow, 'Too slow: reconnect and resume');
    }
    if (this.readyState !== this.OPEN) {
      const callback = args.at(-1);
      if (typeof callback === 'function') process.nextTick(callback, new Error('WebSocket is not open'));
      return;
    }
    return (send as (...a: unknown[]) => void).apply(this, args);
  } as typeof ws.send;
}
