import { Redis } from 'ioredis';
import { closeRedis } from './redis-close.ts';
import type { Logger } from '../ops/logger.ts';
import type { BusListener, EventBus } from './bus.ts';
import { busEventSchema, type BusEvent } from './bus-events.ts';

const PREFIX = 'hearth:';
const retryStrategy = (times: number) => Math.min(100 * times, 2000);
const COMMAND_TIMEOUT_MS = 2000;

/**
 * The event bus across instances: Redis pub/sub, one Redis channel per room,
 * user and the session channel, with separate publish and subscribe
 * connections. Pub/sub is fire-and-forget, so nothing durable depends on it:
 * publishing never fails a write (it is logged), and when the subscribe
 * connection comes back after a drop, `onReconnect` listeners (the room hub,
 * user streams) catch up from the database.
 */
export class RedisEventBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<BusListener>>();
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly reconnectListeners = new Set<() => void>();
  private connectedOnce = false;
  dropped = 0;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    // No offline queue for publishes: while Redis is away they fail at once
    // instead of piling up, and the database log covers the gap.
    // A command timeout, so a Redis that hangs (rather than refuses) does not
    // hold publishes, and the memory they keep, for ever.
    this.pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, retryStrategy });
    this.sub = new Redis(url, { autoResubscribe: true, maxRetriesPerRequest: null, retryStrategy });
    for (const [name, connection] of [
      ['publish', this.pub],
      ['subscribe', this.sub],
    ] as const) {
      connection.on('error', (err) => log.warn({ err: err.message, connection: name }, 'redis connection error'));
    }
    this.sub.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.sub.on('ready', () => {
      if (this.connectedOnce) {
        log.info('redis subscribe connection is back: streams catch up from the database');
        for (const listener of this.reconnectListeners) listener();
      }
      this.connectedOnce = true;
    });
  }

  /**
   * Sent, not awaited: Redis is never on the path of an acknowledgement (a
   * send answers once committed, whatever Redis does). Publishes on one
   * connection still reach Redis in the order they were made.
   */
  async publish(channel: string, event: BusEvent): Promise<void> {
    this.pub.publish(PREFIX + channel, JSON.stringify(event)).catch((err: Error) => {
      this.log.warn({ err: err.message, channel }, 'publish failed; subscribers will catch up from the database');
    });
  }

  subscribe(channel: string, listener: BusListener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      const done = this.sub.subscribe(PREFIX + channel).then(
        () => {},
        (err: Error) => this.log.warn({ err: err.message, channel }, 'subscribe failed'),
      );
      this.subscribed.set(channel, done);
    }
    set.add(listener);
    return () => {
      if (!set.delete(listener) || set.size > 0 || this.listeners.get(channel) !== set) return;
      this.listeners.delete(channel);
      this.subscribed.delete(channel);
      this.sub.unsubscribe(PREFIX + channel).catch(() => {});
    };
  }

  whenSubscribed(channel: string): Promise<void> {
    return this.subscribed.get(channel) ?? Promise.resolve();
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** Healthy when both connections are up (waiting up to a second for a fresh one). */
  async ping(): Promise<boolean> {
    const up = (connection: Redis) =>
      connection.status === 'ready' ||
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 1000);
        connection.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    try {
      return (await up(this.sub)) && (await up(this.pub)) && (await this.pub.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([closeRedis(this.pub), closeRedis(this.sub)]);
  }

  /** Events crossing from another process are validated; a malformed one is logged and dropped. */
  private receive(prefixed: string, message: string): void {
    const channel = prefixed.slice(PREFIX.length);
    const set = this.listeners.get(channel);
    if (!set) return;
    let event: BusEvent;
    try {
      const parsed = busEventSchema.safeParse(JSON.parse(message));
      if (!parsed.success) throw new Error(parsed.error.message);
      event = parsed.data;
    } catch (err) {
      this.dropped += 1;
      this.log.warn({ channel, err: (err as Error).message.slice(0, 200) }, 'dropped a malformed event from redis');
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err, channel }, 'event listener failed');
      }
    }
  }
}
