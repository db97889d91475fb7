import { SetupSecret } from '../auth/setup.ts';
import { Notifier } from '../chat/notifier.ts';
import type { PushDispatcher } from '../push/dispatch.ts';
import { startPush } from '../push/start.ts';
import { LoginThrottle } from '../auth/throttle.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { Config } from './config.ts';
import { Inflight } from '../ops/inflight.ts';
import { createLogger, type Logger } from '../ops/logger.ts';
import { Metrics } from '../ops/metrics.ts';
import { timeStore } from '../db/query-timing.ts';
import { createRateLimits, type RateLimits } from '../limits/rate-limits.ts';
import { MemoryEventBus, type EventBus } from '../realtime/bus.ts';
import { RoomHub } from '../realtime/hub.ts';
import { RedisEventBus } from '../realtime/redis-bus.ts';
import { RedisPresence } from '../realtime/redis-presence.ts';
import { MemoryPresence, onlineInRoom, type Presence } from '../realtime/presence.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { TypingTracker } from '../realtime/typing.ts';
import { MemoryTypingStore, RedisTypingStore } from '../realtime/typing-store.ts';

/**
 * The process's shared parts, built once by the server and handed to every
 * transport through the tRPC context. Nothing here is a module singleton, so
 * an HTTP request and a WebSocket frame always reach the same database client
 * and event bus (Next.js bundles its own copies of modules; we never rely on them).
 */
export interface Services {
  config: Config;
  /** Everything the domain asks of storage (store/store.ts). */
  store: Store;
  bus: EventBus;
  hub: RoomHub;
  presence: Presence;
  typing: TypingTracker;
  clock: Clock;
  log: Logger;
  loginThrottle: LoginThrottle;
  inflight: Inflight;
  /** The counters: Prometheus (GET /metrics), read by the admin page too. */
  metrics: Metrics;
  /** Token buckets: messages and typing per user, connections and logins per address. */
  limits: RateLimits;
  /** The setup link's secret (SETUP_TOKEN, or random per start), for claiming a server with no admin. */
  setup: SetupSecret;
  /** Who hears about what: the feed, desktop notifications, push (chat/notifier.ts). */
  notifier: Notifier;
  /** Web Push to people with no open connection (push/dispatch.ts). */
  push: PushDispatcher;
}

export async function createServices(config: Config, options: { clock?: Clock; log?: Logger } = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const metrics = new Metrics(clock);
  const log = options.log ?? createLogger(config);
  const store = timeStore(await openStore(config.DATABASE_URL), metrics);
  const bus: EventBus = config.REDIS_URL ? new RedisEventBus(config.REDIS_URL, log) : new MemoryEventBus();
  const limits = createRateLimits(config, clock, metrics);
  const typingLimiter = limits.typing;
  const push = await startPush({ store, config, log, metrics });
  const presence: Presence = config.REDIS_URL ? new RedisPresence(config.REDIS_URL, clock, config.PRESENCE_TTL_MS, log) : new MemoryPresence();
  return {
    config,
    metrics,
    limits,
    store,
    bus,
    hub: new RoomHub(bus, (roomId) => onlineInRoom({ store, presence }, { roomId })),
    presence,
    typing: new TypingTracker({
      bus,
      clock,
      limiter: typingLimiter,
      ttlMs: config.TYPING_TTL_MS,
      store: config.REDIS_URL ? new RedisTypingStore(config.REDIS_URL, log) : new MemoryTypingStore(),
      log,
    }),
    clock,
    log,
    loginThrottle: new LoginThrottle(clock, config),
    inflight: new Inflight(),
    setup: new SetupSecret(config.SETUP_TOKEN),
    notifier: new Notifier({ store, bus, presence, push, clock, log, metrics, config }),
    push,
  };
}

export async function closeServices(services: Services): Promise<void> {
  await services.notifier.idle();
  await services.push.close();
  await services.bus.close();
  await services.presence.close();
  await services.typing.close();
  await services.store.close();
}
