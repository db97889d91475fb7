import type { ConnectionRefusal } from './client.ts';

/**
 * What the connection banner shows. `refused`: the server turned the socket
 * away for now and said why and when to retry; `replaced`: this tab's
 * connection was closed for a newer one of the same person, and it waits to
 * be asked back.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'refused' | 'replaced';

/** tRPC's WebSocket client states: 'pending' means the socket is open. */
export type SocketState = 'idle' | 'connecting' | 'pending';

/** The server's last refusal: its words, and when the next attempt goes out (ms since the epoch). */
export interface ConnectionNotice {
  message: string;
  retryAt: number;
}

/**
 * A refused socket does open (the server answers the handshake and closes it
 * at once, so the browser can read why): an open counts as back only once it
 * has lasted this long without a refusal.
 */
export const SETTLE_MS = 1000;

export function connectionStatus(input: {
  browserOnline: boolean;
  socket: SocketState;
  everOpen: boolean;
  refused?: boolean;
  replaced?: boolean;
}): ConnectionStatus {
  if (!input.browserOnline) return 'offline';
  if (input.replaced) return 'replaced';
  if (input.refused) return 'refused';
  if (input.socket === 'pending') return 'online';
  return input.everOpen ? 'reconnecting' : 'connecting';
}

/** The banner's sentence for a refusal, at `now`: why, and the countdown to the next attempt. */
export function refusalText(notice: ConnectionNotice, now: number): string {
  const seconds = Math.ceil((notice.retryAt - now) / 1000);
  const why = notice.message.charAt(0).toLowerCase() + notice.message.slice(1);
  return `Cannot connect: ${why}. ${seconds > 0 ? `Trying again in ${seconds} s.` : 'Trying again now…'}`;
}

/**
 * Combines the browser's own idea of the network (navigator.onLine and its
 * events) with the socket's state, and what the server said when it refused
 * or replaced the socket, into one status with listeners, for React's
 * useSyncExternalStore and for the outbox.
 */
export class ConnectionMonitor {
  private socket: SocketState = 'connecting';
  private everOpen = false;
  private replaced = false;
  private refusal: ConnectionNotice | null = null;
  private settling: ReturnType<typeof setTimeout> | undefined;
  private status: ConnectionStatus;
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();

  constructor(private browserOnline: boolean) {
    this.status = this.compute();
  }

  snapshot = (): ConnectionStatus => this.status;

  /** The refusal behind a `refused` status (the same object until it changes). */
  notice = (): ConnectionNotice | null => this.refusal;

  subscribe = (listener: (status: ConnectionStatus) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setSocket(state: SocketState): void {
    this.socket = state;
    clearTimeout(this.settling);
    if (state === 'pending' && this.refusal) this.settling = setTimeout(() => this.settled(), SETTLE_MS);
    else if (state === 'pending') this.everOpen = true;
    this.changed();
  }

  setBrowserOnline(online: boolean): void {
    this.browserOnline = online;
    this.changed();
  }

  /** The server closed the socket with a refusal; the client retries at `retryAt`. */
  refused(refusal: ConnectionRefusal, now = Date.now()): void {
    clearTimeout(this.settling);
    this.refusal = { message: refusal.message, retryAt: now + refusal.retryAfterMs };
    this.changed(true);
  }

  setReplaced(): void {
    clearTimeout(this.settling);
    this.replaced = true;
    this.changed();
  }

  dispose(): void {
    clearTimeout(this.settling);
  }

  private settled(): void {
    this.refusal = null;
    this.everOpen = true;
    this.changed(true);
  }

  private compute(): ConnectionStatus {
    return connectionStatus({
      browserOnline: this.browserOnline,
      socket: this.socket,
      everOpen: this.everOpen,
      refused: this.refusal !== null,
      replaced: this.replaced,
    });
  }

  private changed(noticeChanged = false): void {
    const next = this.compute();
    if (next === this.status && !noticeChanged) return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }
}
