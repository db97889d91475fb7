import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { closeRedis } from './redis-close.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../ops/logger.ts';
import type { Presence } from './presence.ts';

const userKey = (userId: string) => `hearth:presence:${userId}`;
/** Every user with live entries, scored by their latest expiry: the sweep's to-do list. */
const EXPIRING = 'hearth:presence:expiring';

/**
 * Presence shared by all instances. Each live connection is an entry in its
 * user's sorted set, scored by when it expires; this instance refreshes its
 * own entries every ttl/3 (the heartbeat). An instance that dies stops
 * refreshing, so its connections expire within the TTL, and whichever
 * instance sweeps first announces those users offline (ZREM decides who).
 */
export class RedisPresence implements Presence {
  private readonly redis: Redis;
  private readonly instance = crypto.randomUUID();
  private readonly local = new Map<string, string>(); // entry → userId
  private readonly heartbeat: NodeJS.Timeout;
  private readonly restored: Array<(userIds: string[]) => void> = [];

  constructor(
    url: string,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000 });
    this.redis.on('error', (err) => log.warn({ err: err.message }, 'redis presence connection error'));
    // Back after a drop (a Redis restart loses every entry): put ours back now, not at the next beat.
    let connectedOnce = false;
    this.redis.on('ready', () => {
      if (connectedOnce) void this.refresh();
      connectedOnce = true;
    });
    this.heartbeat = setInterval(() => void this.refresh(), Math.max(250, Math.floor(ttlMs / 3))).unref();
  }

  onRestored(listener: (userIds: string[]) => void): void {
    this.restored.push(listener);
  }

  async connect(userId: string, connectionId: string): Promise<boolean> {
    const entry = `${this.instance}:${connectionId}`;
    this.local.set(entry, userId);
    const now = this.clock.now();
    const result = await this.redis
      .multi()
      .zremrangebyscore(userKey(userId), 0, now)
      .zcard(userKey(userId))
      .zadd(userKey(userId), now + this.ttlMs, entry)
      .pexpire(userKey(userId), this.ttlMs * 2)
      .zadd(EXPIRING, 'GT', now + this.ttlMs, userId)
      .exec();
    return Number(result?.[1]?.[1] ?? 0) === 0;
  }

  async disconnect(userId: string, connectionId: string): Promise<boolean> {
    const entry = `${this.instance}:${connectionId}`;
    this.local.delete(entry);
    const result = await this.redis.multi().zrem(userKey(userId), entry).zremrangebyscore(userKey(userId), 0, this.clock.now()).zcard(userKey(userId)).exec();
    const removed = Number(result?.[0]?.[1] ?? 0) === 1;
    const left = Number(result?.[2]?.[1] ?? 0);
    if (left === 0) await this.redis.zrem(EXPIRING, userId);
    return removed && left === 0;
  }

  /** Presence is ephemeral: with Redis away nobody is shown online, and the query still answers. */
  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const now = this.clock.now();
    const pipeline = this.redis.pipeline();
    for (const id of userIds) pipeline.zcount(userKey(id), `(${now}`, '+inf');
    try {
      const counts = await pipeline.exec();
      return new Set(userIds.filter((_, i) => Number(counts?.[i]?.[1] ?? 0) > 0));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'presence lookup failed; shown offline');
      return new Set();
    }
  }

  /** Users whose every entry expired (their instance died): claimed once across instances. */
  async expired(): Promise<string[]> {
    const now = this.clock.now();
    const candidates = await this.redis.zrangebyscore(EXPIRING, 0, now);
    const gone: string[] = [];
    for (const userId of candidates) {
      const live = await this.redis.zcount(userKey(userId), `(${now}`, '+inf');
      if (live > 0) continue;
      if ((await this.redis.zrem(EXPIRING, userId)) === 1) gone.push(userId);
    }
    return gone;
  }

  /**
   * The heartbeat: every live connection of this instance is written again
   * with a fresh expiry. An entry that was missing (Redis restarted and lost
   * it, or another instance's sweep took it while we stalled) is added back,
   * and its user reported as restored. A connection that closed is no longer
   * in `local`, and its removal follows on the same connection, so it is
   * never revived.
   */
  private async refresh(): Promise<void> {
    if (this.local.size === 0) return;
    const expiresAt = this.clock.now() + this.ttlMs;
    const pipeline = this.redis.pipeline();
    const users: string[] = [];
    for (const [entry, userId] of this.local) {
      users.push(userId);
      pipeline.zadd(userKey(userId), expiresAt, entry);
      pipeline.pexpire(userKey(userId), this.ttlMs * 2);
      pipeline.zadd(EXPIRING, 'GT', expiresAt, userId);
    }
    try {
      const results = await pipeline.exec();
      const back = new Set(users.filter((_, i) => Number(results?.[i * 3]?.[1] ?? 0) === 1));
      if (back.size > 0) for (const listener of this.restored) listener([...back]);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'presence heartbeat failed');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await closeRedis(this.redis);
  }
}
