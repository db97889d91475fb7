import crypto from 'node:crypto';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';
import type { Services } from '../services.ts';
import { channels, type BusEvent } from './events.ts';
import { PresenceAnnouncer } from './presence.ts';

interface Owner {
  sessionId: string;
  userId: string;
}

/**
 * The authenticated sockets of this process, by owner. It listens on the bus
 * for revoked sessions, so a logout or deactivation handled by any instance
 * closes the sockets on every instance. It also feeds presence: a user's first
 * live socket makes them online, their last one closing makes them offline.
 */
export class ConnectionRegistry {
  private readonly owners = new Map<WebSocket, Owner>();
  private readonly unsubscribe: () => void;
  private readonly announcer: PresenceAnnouncer;

  constructor(private readonly deps: Pick<Services, 'db' | 'bus' | 'presence' | 'log'>) {
    this.unsubscribe = deps.bus.subscribe(channels.sessions, (event) => this.onSessionEvent(event));
    this.announcer = new PresenceAnnouncer(deps);
  }

  get size(): number {
    return this.owners.size;
  }

  /** Registers an open socket; it leaves the registry when it closes. */
  add(ws: WebSocket, owner: Owner): void {
    this.owners.set(ws, owner);
    const connectionId = crypto.randomUUID();
    const { presence, log } = this.deps;
    const changed = (wasChange: boolean) => {
      if (wasChange) void this.announcer.announce(owner.userId);
    };
    presence.connect(owner.userId, connectionId).then(changed, (err) => log.error({ err }, 'presence connect failed'));
    ws.once('close', () => {
      this.owners.delete(ws);
      presence.disconnect(owner.userId, connectionId).then(changed, (err) => log.error({ err }, 'presence disconnect failed'));
    });
  }

  /** Tells the user's rooms who is online now (e.g. after their instance died). */
  announce(userId: string): Promise<void> {
    return this.announcer.announce(userId);
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
