import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../lib/clock.ts';

export type LimitKind =
  | 'message'
  | 'typing'
  | 'ws_connect'
  | 'login_ip'
  | 'login_account'
  | 'login_slowdown'
  | 'edit'
  | 'room_change'
  | 'receipt'
  | 'admin'
  | 'register'
  | 'account'
  | 'password_link'
  | 'contact'
  | 'reaction';
export type RefusalReason = 'origin' | 'ip_rate' | 'ip_cap' | 'user_cap' | 'total_cap' | 'closing';
export type AuthFailure = 'login' | 'token' | 'timeout';

const LIMIT_KINDS: LimitKind[] = [
  'message',
  'typing',
  'ws_connect',
  'login_ip',
  'login_account',
  'login_slowdown',
  'edit',
  'room_change',
  'receipt',
  'admin',
  'register',
  'account',
  'password_link',
  'contact',
  'reaction',
];
const REFUSALS: RefusalReason[] = ['origin', 'ip_rate', 'ip_cap', 'user_cap', 'total_cap', 'closing'];
const AUTH_FAILURES: AuthFailure[] = ['login', 'token', 'timeout'];

/** What the server measures at scrape time rather than counting as it goes. */
export interface MetricSources {
  /** Seconds for an event to go round the event bus (see bus-probe.ts). */
  busLagSeconds(): Promise<number>;
}

let shared: Registry | undefined;

/**
 * CPU, memory, GC and event-loop lag describe the process, not one server, and
 * prom-client's collectors for them run until the process ends: one registry
 * for them per process, however many servers a test process starts.
 */
function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}

/**
 * Hearth's one counter system: Prometheus metrics, one registry per server,
 * which /metrics exposes and the admin page reads (`snapshot`). What hot paths
 * count (connections, subscriptions, messages, deliveries) are plain numbers
 * here, read by their collectors at scrape time: a field increment, not a
 * label lookup, per delivery.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Open WebSocket connections (hearth_websocket_connections). */
  connections = 0;
  /** Live subscriptions, room and user streams (hearth_subscriptions). */
  subscriptions = 0;
  private messages = 0;
  private deliveries = 0;
  private sources: MetricSources | undefined;
  private readonly startedAt: number;
  /** Messages accepted per whole second, the last 20 seconds, for `messagesPerSecond`. */
  private readonly perSecond = new Map<number, number>();

  readonly authFailures = new Counter({
    name: 'hearth_auth_failures_total',
    help: 'Refused credentials: failed logins, unknown/expired/revoked tokens, sockets that never authenticated',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'hearth_rate_limited_total',
    help: 'Actions refused (or typing starts dropped) by a rate limit, per kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'hearth_connections_refused_total',
    help: 'WebSocket upgrades or sessions refused, per reason (origin, caps, per-address rate, shutdown)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly slowConsumers = new Counter({
    name: 'hearth_slow_consumers_total',
    help: 'Sockets closed with 4008 because their unsent output passed WS_MAX_BUFFERED_BYTES',
    registers: [this.registry],
  });
  readonly resubscriptions = new Counter({
    name: 'hearth_resubscriptions_total',
    help: 'Room subscriptions that resumed from a lastEventId',
    registers: [this.registry],
  });
  readonly subscriptionsRefused = new Counter({
    name: 'hearth_subscriptions_refused_total',
    help: 'Subscriptions refused because the connection held MAX_SUBSCRIPTIONS_PER_CONNECTION',
    registers: [this.registry],
  });
  readonly notificationsDropped = new Counter({
    name: 'hearth_notifications_dropped_total',
    help: 'Notification work dropped because NOTIFY_QUEUE_MAX items were waiting',
    registers: [this.registry],
  });
  readonly dbQueries = new Histogram({
    name: 'hearth_db_query_duration_seconds',
    help: 'Database query latency, per store operation (messages.append, log.entriesAfter, …)',
    labelNames: ['operation'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(private readonly clock: Clock) {
    this.startedAt = clock.now();
    for (const kind of LIMIT_KINDS) this.rateLimited.inc({ kind }, 0);
    for (const reason of REFUSALS) this.refused.inc({ reason }, 0);
    for (const reason of AUTH_FAILURES) this.authFailures.inc({ reason }, 0);
    // A collector runs with the metric as `this`: the server's state comes from these arrows.
    const sources = () => this.sources;
    const mirror = (value: () => number) =>
      function (this: Gauge | Counter) {
        this.reset();
        this.inc(value());
      };
    new Gauge({
      name: 'hearth_websocket_connections',
      help: 'Open WebSocket connections',
      registers: [this.registry],
      collect: mirror(() => this.connections),
    });
    new Gauge({
      name: 'hearth_subscriptions',
      help: 'Live subscriptions (room and user streams)',
      registers: [this.registry],
      collect: mirror(() => this.subscriptions),
    });
    new Counter({
      name: 'hearth_messages_received_total',
      help: 'Messages accepted (committed) by messages.send',
      registers: [this.registry],
      collect: mirror(() => this.messages),
    });
    new Counter({ name: 'hearth_deliveries_total', help: 'Events written to subscribers', registers: [this.registry], collect: mirror(() => this.deliveries) });
    new Gauge({
      name: 'hearth_event_bus_lag_seconds',
      help: 'Time for a probe event to go round the event bus, measured at each scrape',
      registers: [this.registry],
      async collect() {
        const from = sources();
        if (from) this.set(await from.busLagSeconds());
      },
    });
  }

  /** The server hands over its live state once it exists. */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }

  delivered(count = 1): void {
    this.deliveries += count;
  }

  /** A message was committed (hearth_messages_received_total). */
  messageAccepted(): void {
    this.messages += 1;
    const second = Math.floor(this.clock.now() / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    if (this.perSecond.size > 20) {
      for (const key of this.perSecond.keys()) if (key < second - 10) this.perSecond.delete(key);
    }
  }

  /** Counts a subscription in `subscriptions` for as long as its stream runs. */
  async *track<T>(stream: AsyncGenerator<T>): AsyncGenerator<T> {
    this.subscriptions += 1;
    try {
      yield* stream;
    } finally {
      this.subscriptions -= 1;
    }
  }

  /** The live figures the admin page shows, from the same counters /metrics exposes. */
  snapshot() {
    const now = Math.floor(this.clock.now() / 1000);
    let lastTenSeconds = 0;
    for (let s = now - 10; s < now; s++) lastTenSeconds += this.perSecond.get(s) ?? 0;
    return {
      connections: this.connections,
      subscriptions: this.subscriptions,
      messagesTotal: this.messages,
      /** Average over the last 10 whole seconds. */
      messagesPerSecond: lastTenSeconds / 10,
      uptimeSeconds: Math.round((this.clock.now() - this.startedAt) / 1000),
    };
  }

  /** The Prometheus text exposition of this server's metrics and the process's. */
  async render(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([processRegistry(), this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
