import { sleep } from '../clock.ts';
import { Histogram } from '../hist.ts';
import type { LoadGen } from '../loadgens.ts';
import type { RampPlan } from '../plan.ts';
import type { StepStats } from '../receivers.ts';
import type { SendPlan, SendResult } from '../sender.ts';
import type { Outcome, Session } from './session.ts';

export interface StepResult {
  label: string;
  /** Paced rate in messages/s; null for warm-up and the saturated step. */
  rate: number | null;
  /** rate × subscribers per message. */
  offeredDeliveriesPerSec: number | null;
  sent: number;
  acked: number;
  sendErrors: Record<string, number>;
  /** Paced sends held back because the in-flight cap was reached (acks too slow). */
  lateSends: number;
  expected: number;
  delivered: number;
  /** First send to last receipt. */
  windowMs: number;
  deliveriesPerSec: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  ackP50Ms: number | null;
  ackP99Ms: number | null;
  serverCpuUsPerDelivery: number | null;
  loadgenCpuUsPerDelivery: number | null;
  overloaded: boolean;
}

export interface RampResult extends Outcome {
  /** Saturated step. */
  deliveriesPerSec: number | null;
  /**
   * Saturated step: the server's CPU time per delivery, which other processes
   * and the load generators' own limits disturb far less than deliveries/s.
   */
  serverCpuUsPerDelivery: number | null;
  loadgenCpuUsPerDelivery: number | null;
  /** Reference step (referenceRate). */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  referenceRate: number;
  connections: { requested: number; ready: number; failed: number; ms: number } | null;
  steps: StepResult[];
}

export function emptyRamp(plan: RampPlan): RampResult {
  return {
    deliveriesPerSec: null,
    serverCpuUsPerDelivery: null,
    loadgenCpuUsPerDelivery: null,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    referenceRate: plan.referenceRate,
    connections: null,
    steps: [],
    errors: [],
  };
}

interface RampInput {
  session: Session;
  receivers: LoadGen[];
  sender: LoadGen;
  senders: SendPlan['senders'];
  pick: SendPlan['pick'];
  /** Deliveries each message should produce (subscribers of its room). */
  fanout: number;
  plan: RampPlan;
  log(line: string): void;
}

/**
 * Warm-up, then paced steps at rising rates until one is overloaded, then a
 * saturated step (a bounded number of messages sent as fast as acks return).
 * Every step waits for its deliveries to arrive before the next one starts, so
 * steps never overlap; the wait is bounded (stallMs without progress, drainMs).
 */
export async function runRamp(input: RampInput, result: RampResult): Promise<void> {
  const { plan, log } = input;
  let stepNo = 0;
  const step = (label: string, rate: number | undefined, count: number, durationMs: number, concurrency: number) =>
    runStep(input, { step: ++stepNo, label, rate, count, durationMs, concurrency });

  const warm = await step('warm-up', plan.warmup.rate, plan.warmup.count, 30_000, plan.sendConcurrency);
  if (warm.delivered < warm.expected) result.errors.push(`warm-up: ${warm.delivered} of ${warm.expected} deliveries arrived`);

  for (const rate of plan.rates) {
    const count = Math.min(plan.maxPerStep, Math.ceil((rate * plan.stepMs) / 1000));
    const s = await step(`${rate} msg/s`, rate, count, plan.stepMs + 1000, plan.sendConcurrency);
    result.steps.push(s);
    log(describe(s));
    if (s.overloaded) {
      log(`    overloaded at ${rate} msg/s: higher rates skipped`);
      break;
    }
  }
  const sat = await step('saturated', undefined, plan.saturated.count, 60_000, plan.saturated.concurrency);
  result.steps.push(sat);
  log(describe(sat));

  const ref = result.steps.find((s) => s.rate === plan.referenceRate);
  Object.assign(result, {
    deliveriesPerSec: sat.deliveriesPerSec,
    serverCpuUsPerDelivery: sat.serverCpuUsPerDelivery,
    loadgenCpuUsPerDelivery: sat.loadgenCpuUsPerDelivery,
    p50Ms: ref?.p50Ms ?? null,
    p95Ms: ref?.p95Ms ?? null,
    p99Ms: ref?.p99Ms ?? null,
  });
  for (const s of [warm, ...result.steps]) {
    for (const [kind, n] of Object.entries(s.sendErrors)) result.errors.push(`${s.label}: send failed x${n}: ${kind}`);
    if (s.delivered < s.expected) result.errors.push(`${s.label}: ${s.expected - s.delivered} of ${s.expected} deliveries never arrived`);
  }
}

async function runStep(
  input: RampInput,
  o: { step: number; label: string; rate: number | undefined; count: number; durationMs: number; concurrency: number },
): Promise<StepResult> {
  const { session, receivers, sender, plan, fanout } = input;
  const gens = [...receivers, sender];
  const cpu = async () => ({
    server: (await session.server.probe()).cpuUs,
    gens: (await Promise.all(gens.map((g) => g.call<number>('cpu')))).reduce((a, b) => a + b, 0),
  });
  const before = await cpu();
  const sendPlan: SendPlan = {
    endpoint: session.endpoint,
    senders: input.senders,
    pick: input.pick,
    rate: o.rate,
    count: o.count,
    durationMs: o.durationMs,
    concurrency: o.concurrency,
    step: o.step,
    bodyBytes: plan.bodyBytes,
    requestTimeoutMs: 30_000,
  };
  const send = await sender.call<SendResult>('send', sendPlan, o.durationMs + 60_000);
  const expected = send.acked * fanout;
  const drained = await drain(receivers, o.step, expected, input.plan);
  const after = await cpu();
  const parts = await Promise.all(receivers.map((g) => g.call<Record<number, StepStats>>('stats', { steps: [o.step] })));
  const stats = parts.map((p) => p[o.step]).filter((s): s is StepStats => s !== undefined);
  const hist = Histogram.merge(stats.map((s) => s.hist));
  const delivered = hist.count;
  const lastUs = Math.max(send.lastAckUs, ...stats.map((s) => s.lastUs));
  const windowMs = send.firstSendUs ? (lastUs - send.firstSendUs) / 1000 : 0;
  const lat = hist.summary();
  const ack = Histogram.merge([send.ack]).summary();
  const deliveriesPerSec = windowMs > 0 ? Math.round(delivered / (windowMs / 1000)) : 0;
  const offered = o.rate === undefined ? null : o.rate * fanout;
  // What the sender managed to offer (a paced step is overloaded if deliveries fall well short of it).
  const sendSpanS = (send.lastSendUs - send.firstSendUs) / 1e6 + (o.rate ? 1 / o.rate : 0);
  const achievedOffer = sendSpanS > 0 ? (send.acked * fanout) / sendSpanS : 0;
  const overloaded =
    o.rate !== undefined &&
    (!drained || delivered < 0.99 * expected || (lat.p50Ms ?? 0) > 500 || deliveriesPerSec < 0.8 * achievedOffer || send.late > 0.05 * send.sent);
  const per = (us: number) => (delivered > 0 ? Math.round((us / delivered) * 100) / 100 : null);
  return {
    label: o.label,
    rate: o.rate ?? null,
    offeredDeliveriesPerSec: offered,
    sent: send.sent,
    acked: send.acked,
    sendErrors: send.errors,
    lateSends: send.late,
    expected,
    delivered,
    windowMs: Math.round(windowMs),
    deliveriesPerSec,
    p50Ms: lat.p50Ms,
    p95Ms: lat.p95Ms,
    p99Ms: lat.p99Ms,
    maxMs: lat.maxMs,
    ackP50Ms: ack.p50Ms,
    ackP99Ms: ack.p99Ms,
    serverCpuUsPerDelivery: per(after.server - before.server),
    loadgenCpuUsPerDelivery: per(after.gens - before.gens),
    overloaded,
  };
}

/** Waits until `expected` deliveries of `step` arrived, or progress stalls, or drainMs passes. */
async function drain(receivers: LoadGen[], step: number, expected: number, plan: RampPlan): Promise<boolean> {
  const started = Date.now();
  let last = -1;
  let lastProgress = started;
  for (;;) {
    const counts = await Promise.all(receivers.map((g) => g.call<Record<number, number>>('counts')));
    const got = counts.reduce((sum, c) => sum + (c[step] ?? 0), 0);
    if (got >= expected) return true;
    const now = Date.now();
    if (got !== last) {
      last = got;
      lastProgress = now;
    }
    if (now - lastProgress > plan.stallMs || now - started > plan.drainMs) return false;
    await sleep(50);
  }
}

export function describe(s: StepResult): string {
  const f = (x: number | null) => (x === null ? '-' : x.toFixed(1));
  return (
    `    ${s.label.padEnd(11)} ${String(s.delivered).padStart(8)}/${String(s.expected).padEnd(8)} deliveries  ` +
    `${String(s.deliveriesPerSec).padStart(7)}/s  p50 ${f(s.p50Ms)}  p95 ${f(s.p95Ms)}  p99 ${f(s.p99Ms)} ms` +
    (s.serverCpuUsPerDelivery !== null ? `  server ${s.serverCpuUsPerDelivery} µs/delivery` : '') +
    (s.overloaded ? '  OVERLOADED' : '')
  );
}
