import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/wire.ts';
import type { Services } from '../app/services.ts';
import { channels, type BusEvent } from './bus-events.ts';
import { PresenceAnnouncer } from './presence.ts';

interface Owner {
  sessionId: string;
  userId: string;
  /** Unique per socket: presence counts connections by it. */
  connectionId: string;
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

  /** `onUserChanged`: a user's role or profile changed (`user.changed`); their held sessions should be read again. */
  constructor(
    private readonly deps: Pick<Services, 'store' | 'bus' | 'presence' | 'log'>,
    private readonly onUserChanged: (userId: string) => void = () => {},
  ) {
    this.unsubscribe = deps.bus.subscribe(channels.sessions, (event) => this.onSessionEvent(event));
    this.announcer = new PresenceAnnouncer(deps);
    deps.presence.onRestored((userIds) => userIds.forEach((userId) => void this.announcer.announce(userId)));
  }

  get size(): number {
    return this.owners.size;
  }

  /** Registers an authenticated socket: its user is online while it is open. */
  add(ws: WebSocket, owner: Owner): void {
    this.owners.set(ws, owner);
    this.deps.presence.connect(owner.userId, owner.connectionId).then(
      (changed) => this.changed(owner.userId, changed),
      (err: unknown) => this.deps.log.error({ err }, 'presence connect failed'),
    );
  }

  /** The socket closed (a socket never added is ignored). */
  remove(ws: WebSocket): void {
    const owner = this.owners.get(ws);
    if (!owner) return;
    this.owners.delete(ws);
    this.deps.presence.disconnect(owner.userId, owner.connectionId).then(
      (changed) => this.changed(owner.userId, changed),
      (err: unknown) => this.deps.log.error({ err }, 'presence disconnect failed'),
    );
  }

  private changed(userId: string, wasChange: boolean): void {
    if (wasChange) void this.announcer.announce(userId);
  }

  /** Tells the user's rooms who is online now (e.g. after their instance died). */
  announce(userId: string): Promise<void> {
    return this.announcer.announce(userId);
  }

  private onSessionEvent(event: BusEvent): void {
    if (event.type === 'user.changed') return this.onUserChanged(event.userId);
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
