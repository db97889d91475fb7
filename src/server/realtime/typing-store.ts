import { Redis } from 'ioredis';
import { closeRedis } from './redis-close.ts';
import type { Logger } from '../ops/logger.ts';

/**
 * Where typing states live: in memory on one instance, in Redis across many,
 * so that a state started through one instance expires (and is announced as
 * stopped) even if that instance dies. Keys are "roomId userId".
 */
export interface TypingStore {
  /** Sets the expiry; true when this starts typing (it was not, or had expired). */
  begin(key: string, expiresAt: number, now: number): Promise<boolean>;
  /** True when the key was typing. */
  end(key: string): Promise<boolean>;
  has(key: string, now: number): Promise<boolean>;
  /** Keys past their expiry, each claimed by one caller only. */
  expired(now: number): Promise<string[]>;
  close(): Promise<void>;
}

export class MemoryTypingStore implements TypingStore {
  private readonly expiries = new Map<string, number>();

  async begin(key: string, expiresAt: number, now: number): Promise<boolean> {
    const previous = this.expiries.get(key);
    this.expiries.set(key, expiresAt);
    return previous === undefined || previous <= now;
  }

  async end(key: string): Promise<boolean> {
    return this.expiries.delete(key);
  }

  async has(key: string, now: number): Promise<boolean> {
    return (this.expiries.get(key) ?? 0) > now;
  }

  async expired(now: number): Promise<string[]> {
    const keys = [...this.expiries].filter(([, at]) => at <= now).map(([key]) => key);
    for (const key of keys) this.expiries.delete(key);
    return keys;
  }

  async close(): Promise<void> {}
}

const SET = 'hearth:typing';

/** One sorted set of "roomId userId" scored by expiry; ZREM decides which instance announces an expiry. */
export class RedisTypingStore implements TypingStore {
  private readonly redis: Redis;

  constructor(url: string, log: Logger) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (err) => log.warn({ err: err.message }, 'redis typing connection error'));
  }

  async begin(key: string, expiresAt: number, now: number): Promise<boolean> {
    const result = await this.redis.multi().zscore(SET, key).zadd(SET, expiresAt, key).exec();
    const previous = result?.[0]?.[1] as string | null | undefined;
    return previous === null || previous === undefined || Number(previous) <= now;
  }

  async end(key: string): Promise<boolean> {
    return (await this.redis.zrem(SET, key)) === 1;
  }

  async has(key: string, now: number): Promise<boolean> {
    const score = await this.redis.zscore(SET, key);
    return score !== null && Number(score) > now;
  }

  async expired(now: number): Promise<string[]> {
    const keys = await this.redis.zrangebyscore(SET, 0, now);
    const claimed: string[] = [];
    for (const key of keys) if ((await this.redis.zrem(SET, key)) === 1) claimed.push(key);
    return claimed;
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}
