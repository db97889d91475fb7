import type { WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';
import type { EventBus } from './bus.ts';
import type { Presence } from './presence.ts';
import { channels, type BusEvent } from './events.ts';

interface Owner {
  sessionId: string;
  userId: string;
}

/**
 * The authenticated sockets of this process, by owner. It listens on the bus
 * for revoked sessions, so a logout or deactivation handled by any instance
 * closes the sockets on every instance.
 */
export class ConnectionRegistry {
  private readonly owners = new Map<WebSocket, Owner>();
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly presence: Presence,
  ) {
    this.unsubscribe = bus.subscribe(channels.sessions, (event) => this.onSessionEvent(event));
  }

  get size(): number {
    return this.owners.size;
  }

  /** Registers an open socket; it leaves the registry when it closes. */
  add(ws: WebSocket, owner: Owner): void {
    this.owners.set(ws, owner);
    this.presence.connected(owner.userId);
    ws.once('close', () => {
      this.owners.delete(ws);
      this.presence.disconnected(owner.userId);
    });
  }

  private onSessionEvent(event: BusEvent): void {
    if (event.type !== 'session.revoked') return;
    const sessions = new Set(event.sessionIds);
    // A linear scan: revocations are rare next to messages, and this keeps one index.
    for (const [ws, owner] of this.owners) {
      if (owner.userId !== event.userId) continue;
      if (sessions.size === 0 || sessions.has(owner.sessionId)) {
        ws.close(CloseCode.unauthorized, 'Session ended');
      }
    }
  }

  dispose(): void {
    this.unsubscribe();
  }
}
