import type { Clock } from '../lib/clock.ts';
import type { Config } from '../app/config.ts';

type Settings = Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCKOUT_SECONDS' | 'LOGIN_SLOWDOWN_MAX_SECONDS' | 'SESSION_TTL_DAYS'>;

export type LoginRefusal = { limit: 'login_account' | 'login_slowdown'; retryAfterMs: number };

interface Failures {
  count: number;
  lastAt: number;
  /** The pair: locked until. The account: its next attempt from an address it does not know, not before. */
  until: number;
}

/** Entries kept per table, at most: past it the least recently written go first. */
const MAX_ENTRIES = 50_000;
const FIRST_DELAY_MS = 1000;

/**
 * Failed logins, per account name (known or not, so the throttle itself
 * reveals nothing). An (account, address) pair is locked for `lockout` after
 * `maxFailures`; the account, after `maxFailures` from all addresses together,
 * is slowed: one attempt per delay that doubles with each further failure up
 * to the cap. Addresses that signed in to the account within the session
 * lifetime are not slowed, so an attacker elsewhere cannot keep the owner out.
 *
 * An admitted attempt counts as failed at once and a success clears it: two
 * guesses sent together cannot both pass while the first is being checked.
 */
export class LoginThrottle {
  private readonly pairs = new Map<string, Failures>();
  private readonly accounts = new Map<string, Failures>();
  /** account+address → when it last signed in. */
  private readonly known = new Map<string, number>();
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly slowdownMaxMs: number;
  private readonly knownForMs: number;

  constructor(
    private readonly clock: Clock,
    settings: Settings,
  ) {
    this.maxFailures = settings.LOGIN_MAX_FAILURES;
    this.lockoutMs = settings.LOGIN_LOCKOUT_SECONDS * 1000;
    this.slowdownMaxMs = settings.LOGIN_SLOWDOWN_MAX_SECONDS * 1000;
    this.knownForMs = settings.SESSION_TTL_DAYS * 86_400_000;
  }

  /** Before any password work: a refusal, or null with the attempt counted as a failure. */
  admit(account: string, address: string): LoginRefusal | null {
    const now = this.clock.now();
    const pairKey = `${account}\n${address}`;
    const pair = this.live(this.pairs, pairKey, now);
    if (pair && pair.until > now) return { limit: 'login_account', retryAfterMs: pair.until - now };
    const slowed = this.live(this.accounts, account, now);
    const isKnown = (this.known.get(pairKey) ?? -Infinity) + this.knownForMs > now;
    if (slowed && slowed.until > now && !isKnown) return { limit: 'login_slowdown', retryAfterMs: slowed.until - now };

    const pairCount = (pair?.count ?? 0) + 1;
    write(this.pairs, pairKey, { count: pairCount, lastAt: now, until: pairCount >= this.maxFailures ? now + this.lockoutMs : 0 });
    const count = (slowed?.count ?? 0) + 1;
    const delay = Math.min(this.slowdownMaxMs, FIRST_DELAY_MS * 2 ** Math.min(count - this.maxFailures, 30));
    write(this.accounts, account, { count, lastAt: now, until: count >= this.maxFailures ? now + delay : 0 });
    return null;
  }

  /** The right password: the pair's and the account's failures are forgotten, and the address is known. */
  succeeded(account: string, address: string): void {
    const pairKey = `${account}\n${address}`;
    this.pairs.delete(pairKey);
    this.accounts.delete(account);
    write(this.known, pairKey, this.clock.now());
  }

  /** Entries held in all tables (at most 3 × MAX_ENTRIES). */
  get size(): number {
    return this.pairs.size + this.accounts.size + this.known.size;
  }

  /** Entries are forgotten LOGIN_LOCKOUT_SECONDS after their last failure, once their wait is over. */
  private live(table: Map<string, Failures>, key: string, now: number): Failures | undefined {
    const entry = table.get(key);
    if (entry && entry.until <= now && entry.lastAt + this.lockoutMs <= now) {
      table.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** Sets `key` as the most recent entry, dropping the least recent past MAX_ENTRIES: memory stays bounded. */
function write<V>(table: Map<string, V>, key: string, value: V): void {
  table.delete(key);
  table.set(key, value);
  if (table.size > MAX_ENTRIES) table.delete(table.keys().next().value!);
}
