import type { Config } from '../app/config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Notification } from '../store/notifications.ts';
import type { Store } from '../store/store.ts';
import { announceUnread, deliverNotifications, type DeliveryDeps } from './notification-delivery.ts';
import { notifyMessage } from './notify-message.ts';
import { notifyAdded, notifyContact, readRequest } from './notify-people.ts';
import type { PublicMessage } from './room-events.ts';
import type { RoomKind } from './serialize.ts';

export type NotifierDeps = DeliveryDeps & {
  store: Pick<Store, 'notifications' | 'contacts' | 'log'>;
  clock: Clock;
  log: Pick<Logger, 'warn' | 'error'>;
  metrics: Pick<Metrics, 'notificationsDropped'>;
  config: Pick<Config, 'NOTIFY_QUEUE_MAX' | 'NOTIFICATIONS_KEPT_PER_USER'>;
};

/** A person's old notifications are pruned after every this many new ones. */
const PRUNE_EVERY = 50;

/**
 * Decides who hears about what (mentions, direct messages, contact requests,
 * being added to a room), writes their notifications and tells their pages
 * (events.user), their desktops and, when they have no open connection, their
 * devices (push). Called after the change it is about has committed; it never
 * delays or fails that change: its work is queued, bounded (NOTIFY_QUEUE_MAX,
 * counted when dropped), and logged when it fails. One job runs at a time, so
 * two messages never race to collapse into the same notification.
 */
export class Notifier {
  private readonly jobs: Array<{ what: string; run: () => Promise<Notification[]> }> = [];
  private draining: Promise<void> | null = null;
  private dropping = false;
  private readonly written = new Map<string, number>();

  constructor(private readonly deps: NotifierDeps) {}

  /** A message was posted (committed and published). */
  messagePosted(posted: { roomId: string; roomKind: RoomKind; message: PublicMessage }): void {
    this.enqueue('message', () => notifyMessage(this.deps, posted));
  }

  /** People were added to a room by someone else. */
  addedToRoom(added: { roomId: string; userIds: string[]; actorId: string }): void {
    this.enqueue('room.added', () => notifyAdded(this.people(), added));
  }

  contactRequested({ requesterId, addresseeId }: { requesterId: string; addresseeId: string }): void {
    this.enqueue('contact.request', () => notifyContact(this.people(), { kind: 'contact.request', userId: addresseeId, actorId: requesterId }));
  }

  contactAccepted({ requesterId, addresseeId }: { requesterId: string; addresseeId: string }): void {
    this.enqueue('contact.accepted', async () => {
      if (await readRequest(this.people(), { userId: addresseeId, requesterId })) await announceUnread(this.deps, addresseeId);
      return notifyContact(this.people(), { kind: 'contact.accepted', userId: requesterId, actorId: addresseeId });
    });
  }

  /** Resolves when no notification work is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private people() {
    return { store: this.deps.store, now: new Date(this.deps.clock.now()) };
  }

  private enqueue(what: string, run: () => Promise<Notification[]>): void {
    if (this.jobs.length >= this.deps.config.NOTIFY_QUEUE_MAX) {
      this.deps.metrics.notificationsDropped.inc();
      if (!this.dropping) this.deps.log.warn({ queued: this.jobs.length, what }, 'notification queue full: dropping notifications');
      this.dropping = true;
      return;
    }
    this.jobs.push({ what, run });
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    await Promise.resolve(); // never inside the caller's own turn
    for (let job = this.jobs.shift(); job; job = this.jobs.shift()) {
      try {
        const rows = await job.run();
        await deliverNotifications(this.deps, rows);
        await this.prune(rows);
      } catch (error) {
        this.deps.log.error({ err: error, what: job.what }, 'notification work failed');
      }
      if (this.jobs.length === 0) this.dropping = false;
    }
  }

  /** Keeps each person's feed bounded (NOTIFICATIONS_KEPT_PER_USER), checked every PRUNE_EVERY new rows. */
  private async prune(rows: Notification[]): Promise<void> {
    for (const { userId } of rows) {
      const count = (this.written.get(userId) ?? 0) + 1;
      this.written.set(userId, count % PRUNE_EVERY);
      if (count % PRUNE_EVERY === 0) await this.deps.store.notifications.prune(userId, this.deps.config.NOTIFICATIONS_KEPT_PER_USER);
    }
    if (this.written.size > 100_000) this.written.clear();
  }
}
