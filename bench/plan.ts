/**
 * How big each scenario is. Full mode follows the issue (1,000 subscribers,
 * 200 rooms of 10, 5,000 and 20,000 connections, 50 senders, 10,000 missed
 * events) and stays well under 20 minutes; --quick shrinks everything to
 * finish in under a minute, for a smoke test while working on the server.
 */
export interface RampPlan {
  /** Paced steps, messages per second, rising; the ramp stops after the first overloaded step. */
  rates: number[];
  /** The step whose latency is the scenario's headline figure. */
  referenceRate: number;
  stepMs: number;
  /** A step sends at most this many messages (high rates end sooner). */
  maxPerStep: number;
  warmup: { rate: number; count: number };
  /** The saturated step: this many messages, `concurrency` in flight, as fast as acks come back. */
  saturated: { count: number; concurrency: number };
  /** In-flight cap for paced sends. */
  sendConcurrency: number;
  /** Give up on stragglers after this long without a new delivery. */
  stallMs: number;
  /** Longest wait for a step's deliveries to arrive after its last send. */
  drainMs: number;
  bodyBytes: number;
}

export interface Plan {
  quick: boolean;
  fanout: { subscribers: number; users: number; receivers: number; ramp: RampPlan };
  rooms: { rooms: number; perRoom: number; users: number; receivers: number; ramp: RampPlan };
  connections: { steps: number[]; users: number; loadgens: number; concurrency: number; settleMs: number; holdMs: { hearth: number; baseline: number } };
  /** `senders` concurrent senders, each in a room of its own, shared among `users` users. */
  persistence: { senders: number; users: number; loadgens: number; durationMs: number; warmupMs: number; bodyBytes: number };
  recovery: { events: number; runs: number };
}

const BODY = 200;

export const fullPlan: Plan = {
  quick: false,
  fanout: {
    subscribers: 1000,
    users: 100,
    receivers: 2,
    ramp: {
      rates: [10, 50, 100, 200, 500, 1000],
      referenceRate: 10,
      stepMs: 5000,
      maxPerStep: 1000,
      warmup: { rate: 20, count: 40 },
      saturated: { count: 500, concurrency: 8 },
      sendConcurrency: 64,
      stallMs: 5000,
      drainMs: 90_000,
      bodyBytes: BODY,
    },
  },
  rooms: {
    rooms: 200,
    perRoom: 10,
    users: 200,
    receivers: 2,
    ramp: {
      rates: [10, 100, 500, 1000, 2000],
      referenceRate: 100,
      stepMs: 5000,
      maxPerStep: 5000,
      warmup: { rate: 100, count: 200 },
      saturated: { count: 5000, concurrency: 16 },
      sendConcurrency: 64,
      stallMs: 5000,
      drainMs: 60_000,
      bodyBytes: BODY,
    },
  },
  connections: { steps: [5000, 20_000], users: 200, loadgens: 4, concurrency: 32, settleMs: 3000, holdMs: { hearth: 36_000, baseline: 5000 } },
  persistence: { senders: 50, users: 50, loadgens: 2, durationMs: 10_000, warmupMs: 1000, bodyBytes: BODY },
  recovery: { events: 10_000, runs: 3 },
};

export const quickPlan: Plan = {
  quick: true,
  fanout: {
    subscribers: 200,
    users: 20,
    receivers: 2,
    ramp: {
      rates: [10, 100, 500],
      referenceRate: 10,
      stepMs: 1000,
      maxPerStep: 300,
      warmup: { rate: 20, count: 10 },
      saturated: { count: 300, concurrency: 8 },
      sendConcurrency: 64,
      stallMs: 2000,
      drainMs: 10_000,
      bodyBytes: BODY,
    },
  },
  rooms: {
    rooms: 50,
    perRoom: 10,
    users: 20,
    receivers: 2,
    ramp: {
      rates: [10, 100, 500],
      referenceRate: 100,
      stepMs: 1000,
      maxPerStep: 1000,
      warmup: { rate: 100, count: 50 },
      saturated: { count: 1000, concurrency: 16 },
      sendConcurrency: 64,
      stallMs: 2000,
      drainMs: 10_000,
      bodyBytes: BODY,
    },
  },
  connections: { steps: [2000], users: 20, loadgens: 2, concurrency: 32, settleMs: 300, holdMs: { hearth: 500, baseline: 300 } },
  persistence: { senders: 50, users: 10, loadgens: 2, durationMs: 2000, warmupMs: 300, bodyBytes: BODY },
  recovery: { events: 2000, runs: 1 },
};
