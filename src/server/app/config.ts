import { z } from 'zod';
import { compileTrust } from '../http/client-ip.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const origin = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value);
    if (url.origin === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error();
    return url.origin;
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an http(s) origin such as https://chat.example.com` });
    return z.NEVER;
  }
});

/** An origin written as a URL with nothing after it: a path would be ignored by the Host and Origin checks, so it is refused. */
const publicUrl = z.string().transform((value, ctx) => {
  const url = URL.canParse(value) ? new URL(value) : null;
  const bare = url && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  if (bare && /^https?:$/.test(url.protocol)) return url.origin;
  ctx.addIssue({ code: 'custom', message: 'must be the http(s) origin browsers use to reach Hearth, such as https://chat.example.com (no path)' });
  return z.NEVER;
});

/** A key as VAPID writes it: unpadded base64url of exactly `bytes` bytes. */
const base64url = (bytes: number, what: string) =>
  z.string().refine((value) => /^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, 'base64url').length === bytes, {
    message: `must be ${what}: ${bytes} bytes, base64url without padding`,
  });

/**
 * Every setting Hearth reads from the environment, with its default. Limits are
 * here too so an operator finds them all in one place (README: Configuration).
 */
const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default('file:./data/hearth.db'),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: in-process event bus and presence (one instance). Set: shared through Redis. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  /** With Redis: a connection's presence entry lives this long unless its instance refreshes it. */
  PRESENCE_TTL_MS: int(1000, 600_000).default(30_000),
  /** false: serve only the API and WebSocket (no Next.js pages), e.g. for a dedicated API node. */
  SERVE_WEB: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  MAX_PAYLOAD_BYTES: int(1024, 16 * 1024 * 1024).default(64 * 1024),
  SESSION_TTL_DAYS: int(1, 3650).default(30),
  /**
   * Failed logins on one account from one client address before that pair is
   * locked for LOGIN_LOCKOUT_SECONDS; from all addresses together, before the
   * account slows down (README: Security notes).
   */
  LOGIN_MAX_FAILURES: int(1, 1000).default(5),
  LOGIN_LOCKOUT_SECONDS: int(1, 86_400).default(15 * 60),
  /** The slowed account's wait between attempts starts at 1 s and doubles with each failure, up to this. */
  LOGIN_SLOWDOWN_MAX_SECONDS: int(1, 86_400).default(30),
  WS_PING_INTERVAL_MS: int(1000, 600_000).default(30_000),
  WS_PONG_WAIT_MS: int(500, 120_000).default(5_000),
  /** Unsent bytes a socket may hold before it is closed as too slow (4008) and resumes. */
  WS_MAX_BUFFERED_BYTES: int(64 * 1024, 512 * 1024 * 1024).default(4 * 1024 * 1024),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
  /** A typing state ends this long after its last refresh, even without a stop. */
  TYPING_TTL_MS: int(1000, 60_000).default(5000),
  /** Typing starts per user per minute (refreshes of an ongoing state do not count). */
  TYPING_STARTS_PER_MINUTE: int(1, 10_000).default(10),
  MAX_MESSAGE_LENGTH: int(1, 60_000).default(10_000),
  /** `@room` in a room of more members than this: room admins (and Hearth admins) only. */
  ROOM_MENTION_ADMIN_ONLY_ABOVE: int(0, 1_000_000).default(10),
  /** A resubscription missing more events than this gets `reset` instead of a replay. */
  REPLAY_LIMIT: int(1, 1_000_000).default(1000),
  // Abuse limits (README: Limits, metrics and logs). Rates are token buckets:
  // the burst is the bucket, refilled at the per-minute rate.
  /** Messages per user per minute, across all their connections, and the burst allowed on top of a quiet spell. */
  MESSAGES_PER_MINUTE: int(1, 1_000_000).default(60),
  MESSAGE_BURST: int(1, 1_000_000).default(20),
  /** Login attempts per client address per minute (per account: LOGIN_MAX_FAILURES). */
  LOGIN_ATTEMPTS_PER_MINUTE_PER_IP: int(1, 1_000_000).default(20),
  /**
   * New WebSocket connections per client address per minute (also the burst),
   * counted before any session lookup; one that turns out to carry a valid
   * session is charged to its user instead, within WS_CONNECTS_PER_MINUTE_PER_USER.
   */
  WS_CONNECTS_PER_MINUTE_PER_IP: int(1, 1_000_000).default(120),
  WS_CONNECTS_PER_MINUTE_PER_USER: int(1, 1_000_000).default(30),
  /** Open WebSocket connections: per user (past it the user's oldest is closed, 4409), per client address, and in all. */
  MAX_CONNECTIONS_PER_USER: int(1, 1_000_000).default(5),
  MAX_CONNECTIONS_PER_IP: int(1, 1_000_000).default(1000),
  MAX_CONNECTIONS: int(1, 10_000_000).default(10_000),
  /** A socket with no valid session this long after opening is closed (4401). */
  WS_AUTH_TIMEOUT_MS: int(100, 600_000).default(10_000),
  /** Live subscriptions one connection may hold. */
  MAX_SUBSCRIPTIONS_PER_CONNECTION: int(1, 100_000).default(100),
  /** Calls one HTTP batch or one WebSocket frame may carry. */
  MAX_BATCH_CALLS: int(1, 1000).default(16),
  /** Bytes of JSON one HTTP request (its whole batch) or one WebSocket call may make the server answer with. */
  MAX_RESPONSE_BYTES: int(64 * 1024, 256 * 1024 * 1024).default(4 * 1024 * 1024),
  /** Notification work (who hears of a message, writing the feed, push hand-off) waiting at most; past it new work is dropped and counted. */
  NOTIFY_QUEUE_MAX: int(1, 10_000_000).default(10_000),
  /** Notifications kept per person, newest first; older ones are deleted. */
  NOTIFICATIONS_KEPT_PER_USER: int(10, 100_000).default(500),
  /** The open room every new account joins, created at start if missing; empty: none. */
  DEFAULT_ROOM: z.string().trim().max(80, 'at most 80 characters').default('general'),
  // Writes that take a seq or fan out, per user per minute (each also the burst).
  /** messages.edit, messages.delete and messages.hide. */
  EDITS_PER_MINUTE: int(1, 1_000_000).default(60),
  /** rooms.create, .direct, .join, .leave, .addMembers, .removeMember, .rename, .setTopic, .archive, .setRole, .setNotify, .hide, admin.rooms.*. */
  ROOM_CHANGES_PER_MINUTE: int(1, 1_000_000).default(30),
  /** messages.markRead and messages.markDelivered. */
  RECEIPTS_PER_MINUTE: int(1, 1_000_000).default(600),
  /** admin.users.setRole, .deactivate, .reactivate. */
  ADMIN_ACTIONS_PER_MINUTE: int(1, 1_000_000).default(60),
  /** auth.register per client address per hour (also the burst). */
  REGISTRATIONS_PER_HOUR_PER_IP: int(1, 1_000_000).default(60),
  /** password changes, display-name changes and session log-outs, per user per minute. */
  ACCOUNT_CHANGES_PER_MINUTE: int(1, 1_000_000).default(10),
  /** contacts.request, .accept, .decline, .block and .unblock, per user per minute (also the burst). */
  CONTACT_REQUESTS_PER_MINUTE: int(1, 1_000_000).default(20),
  /** Contact requests one person may have waiting for an answer at once. */
  CONTACT_PENDING_MAX: int(1, 100_000).default(50),
  /** People one person may block. */
  CONTACT_BLOCKS_MAX: int(1, 1_000_000).default(1000),
  /** messages.react, per user per minute (also the burst). */
  REACTIONS_PER_MINUTE: int(1, 1_000_000).default(120),
  /** Different emoji one message may have, and reactions one person may put on one message. */
  REACTIONS_PER_MESSAGE: int(1, 1000).default(20),
  REACTIONS_PER_USER_PER_MESSAGE: int(1, 1000).default(10),
  /** auth.usePasswordLink per client address per hour (also the burst). */
  PASSWORD_LINK_USES_PER_HOUR_PER_IP: int(1, 1_000_000).default(30),
  /**
   * Who may create an account: `open` (anyone who reaches the server),
   * `invite` (only with an admin's invitation link), `closed` (only admins
   * create accounts). Whatever the mode, the first (admin) account needs the
   * setup link printed at start. README: Accounts.
   */
  REGISTRATION: z.enum(['open', 'invite', 'closed']).default('invite'),
  /** The setup link's token, for automated installs; unset: a random one each start. */
  SETUP_TOKEN: z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters').optional(),
  /** How long an admin's password-reset link (or a new account's set-password link) works. */
  PASSWORD_LINK_TTL_HOURS: int(1, 24 * 30).default(24),
  /** How often every open socket's session is checked again (expired, revoked, deactivated: closed). */
  SESSION_RECHECK_MS: int(100, 60_000).default(4000),
  /**
   * Whose X-Forwarded-For to believe for the client address: `loopback` (a
   * reverse proxy on this machine, the usual setup with HOST=127.0.0.1),
   * addresses and CIDR ranges (`10.0.0.0/8,192.168.1.5`, `loopback,uniquelocal`),
   * a hop count (`2`), `true` (one hop, any peer) or `false` (nobody). See http/client-ip.ts.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('loopback')
    .superRefine((setting, ctx) => {
      try {
        compileTrust(setting);
      } catch (error) {
        const message = `${(error as Error).message}: must be loopback, true, false, a hop count, or a comma-separated list of addresses, CIDR ranges, linklocal, uniquelocal`;
        ctx.addIssue({ code: 'custom', message });
      }
    }),
  /**
   * The origin browsers use to reach Hearth (https://chat.example.com). Set: it
   * is the server's own origin for the Origin checks, and a request addressed to
   * any other Host is refused (421), which stops DNS rebinding. README: Security notes.
   */
  PUBLIC_URL: publicUrl.optional(),
  // Web Push (README: Push notifications).
  /**
   * The VAPID key pair (base64url, as `npx web-push generate-vapid-keys` prints), both or neither
   * (push/vapid.ts checks they are one pair); unset: generated once and kept in the database.
   */
  VAPID_PUBLIC_KEY: base64url(65, 'an uncompressed P-256 public key').optional(),
  VAPID_PRIVATE_KEY: base64url(32, 'a P-256 private key').optional(),
  /** Who push services may contact about this server: mailto: or https:; unset: PUBLIC_URL if https, else mailto:hearth@localhost. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: address or an https:// URL')
    .optional(),
  /** Push endpoints accepted by push.subscribe: host names, `.suffix` for a domain and its subdomains, or `*` for any https host. */
  PUSH_SERVICE_HOSTS: z
    .string()
    .default('fcm.googleapis.com,.push.services.mozilla.com,.push.apple.com,.notify.windows.com')
    .transform((list) =>
      list
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** A PEM file of certificate authorities trusted for push services besides the system's (a private push service, tests). */
  PUSH_CA_FILE: z.string().min(1).optional(),
  /** Devices per user; a further one replaces the user's oldest. */
  PUSH_SUBSCRIPTIONS_PER_USER: int(1, 1000).default(10),
  /** Deliveries waiting (or waiting to retry); past it new ones are dropped and counted. */
  PUSH_QUEUE_LIMIT: int(1, 1_000_000).default(1000),
  /** Requests to push services in flight at once. */
  PUSH_CONCURRENCY: int(1, 1000).default(8),
  /** A push service that neither answers nor sends anything this long is given up on (and retried). */
  PUSH_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** Tries per delivery, the first included; retries wait PUSH_RETRY_BASE_MS, then twice that, and so on. */
  PUSH_MAX_ATTEMPTS: int(1, 10).default(4),
  PUSH_RETRY_BASE_MS: int(10, 600_000).default(2000),
  /** How long a push service keeps a push for a device that is offline. */
  PUSH_TTL_SECONDS: int(0, 2_419_200).default(86_400),
  /** Set: GET /metrics needs `Authorization: Bearer <token>`. Unset: only loopback clients, not proxied. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type Config = z.output<typeof envSchema>;

const SECRETS = new Set(['METRICS_TOKEN', 'SETUP_TOKEN', 'VAPID_PRIVATE_KEY']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; a bad value names the variable, the problem and the value given. */
export type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    // A secret is named, never echoed: this message goes to the console and to logs.
    const given = key in env && !SECRETS.has(key) ? ` (got ${JSON.stringify(env[key])})` : '';
    return `  ${key}: ${issue.message}${given}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** A config for tests and embedding: defaults plus overrides, no environment. */
export function configWith(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig(overrides);
}
