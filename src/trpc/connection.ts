/** What the connection banner shows. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** tRPC's WebSocket client states: 'pending' means the socket is open. */
export type SocketState = 'idle' | 'connecting' | 'pending';

export function connectionStatus(input: { browserOnline: boolean; socket: SocketState; everOpen: boolean }): ConnectionStatus {
  if (!input.browserOnline) return 'offline';
  if (input.socket === 'pending') return 'online';
  return input.everOpen ? 'reconnecting' : 'connecting';
}

/**
 * Combines the browser's own idea of the network (navigator.onLine and its
 * events) with the socket's state into one status with listeners, for
 * React's useSyncExternalStore and for the outbox.
 */
export class ConnectionMonitor {
  private socket: SocketState = 'connecting';
  private everOpen = false;
  private status: ConnectionStatus;
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();

  constructor(private browserOnline: boolean) {
    this.status = this.compute();
  }

  snapshot = (): ConnectionStatus => this.status;

  subscribe = (listener: (status: ConnectionStatus) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setSocket(state: SocketState): void {
    this.socket = state;
    if (state === 'pending') this.everOpen = true;
    this.changed();
  }

  setBrowserOnline(online: boolean): void {
    this.browserOnline = online;
    this.changed();
  }

  private compute(): ConnectionStatus {
    return connectionStatus({ browserOnline: this.browserOnline, socket: this.socket, everOpen: this.everOpen });
  }

  private changed(): void {
    const next = this.compute();
    if (next === this.status) return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }
}
