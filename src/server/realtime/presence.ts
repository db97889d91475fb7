import type { Store } from '../store/store.ts';
import type { EventBus } from './bus.ts';
import { channels } from './bus-events.ts';

/**
 * Who is online: a user is online while at least one of their authenticated
 * connections is alive. Behind an interface so instances can share it (Redis).
 */
export interface Presence {
  /** Records a live connection; true when it made the user online. */
  connect(userId: string, connectionId: string): Promise<boolean>;
  /** Forgets a connection; true when it took the user offline. */
  disconnect(userId: string, connectionId: string): Promise<boolean>;
  onlineAmong(userIds: string[]): Promise<Set<string>>;
  /** Users who went offline without a goodbye (their instance died); each reported once. */
  expired(): Promise<string[]>;
  /**
   * Hears of users whose live connections were missing from the shared store
   * and were put back (after a Redis restart): their rooms should hear it.
   */
  onRestored(listener: (userIds: string[]) => void): void;
  close(): Promise<void>;
}

export class MemoryPresence implements Presence {
  private readonly connections = new Map<string, Set<string>>();

  async connect(userId: string, connectionId: string): Promise<boolean> {
    let set = this.connections.get(userId);
    if (!set) this.connections.set(userId, (set = new Set()));
    set.add(connectionId);
    return set.size === 1;
  }

  async disconnect(userId: string, connectionId: string): Promise<boolean> {
    const set = this.connections.get(userId);
    if (!set?.delete(connectionId)) return false;
    if (set.size > 0) return false;
    this.connections.delete(userId);
    return true;
  }

  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.connections.has(id)));
  }

  async expired(): Promise<string[]> {
    return []; // one process: its connections close, or it is gone with them
  }

  onRestored(): void {} // nothing shared to lose

  async close(): Promise<void> {}
}

type Deps = { store: Pick<Store, 'memberships'>; bus: EventBus; presence: Presence };

/** The room's members who are online now. */
export async function onlineInRoom(
  deps: { store: Pick<Store, 'memberships'>; presence: Pick<Presence, 'onlineAmong'> },
  { roomId }: { roomId: string },
): Promise<string[]> {
  const members = await deps.store.memberships.memberIds(roomId);
  return [...(await deps.presence.onlineAmong(members))].sort();
}

/**
 * Tells each of a user's rooms who is online, after the user came or went.
 * Announcements for one user run one after another, each reading the state
 * when it runs, so the last one published is always the current truth.
 */
export class PresenceAnnouncer {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: Deps) {}

  announce(userId: string): Promise<void> {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    const next = previous.then(() => this.publish(userId)).catch(() => {});
    this.queues.set(userId, next);
    void next.then(() => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    });
    return next;
  }

  private async publish(userId: string): Promise<void> {
    for (const roomId of await this.deps.store.memberships.roomIdsOf(userId)) {
      const online = await onlineInRoom(this.deps, { roomId });
      await this.deps.bus.publish(channels.room(roomId), { type: 'presence', roomId, online });
    }
  }
}
