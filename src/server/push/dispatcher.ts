import type { Config } from '../app/config.ts';
import type { Logger } from '../ops/logger.ts';
import type { PushStore, PushTarget } from '../store/push.ts';
import type { PushDispatcher, PushItem } from './dispatch.ts';
import { pushPayload, topicOf } from './payload.ts';
import type { PushMetrics } from './push-metrics.ts';
import type { PushSender } from './sender.ts';

const SUCCESS_RECORDED_EVERY_MS = 60 * 60 * 1000;
/** A push service asking us to wait longer than this is waited out this long at most: the delivery is still bounded by PUSH_MAX_ATTEMPTS. */
const RETRY_AFTER_MAX_MS = 10 * 60 * 1000;

type SendJob = { kind: 'send'; target: PushTarget; payload: string; topic?: string; attempt: number };
type ExpandJob = { kind: 'expand'; item: PushItem };
type Job = ExpandJob | SendJob;

export interface DispatcherDeps {
  store: { push: PushStore };
  config: Pick<Config, 'PUSH_QUEUE_LIMIT' | 'PUSH_CONCURRENCY' | 'PUSH_MAX_ATTEMPTS' | 'PUSH_RETRY_BASE_MS'>;
  sender: PushSender;
  metrics: PushMetrics;
  log: Logger;
  publicKey: string;
}

/**
 * Web Push behind `deliver`: a bounded queue worked by at most
 * PUSH_CONCURRENCY requests at once. A delivery first reads the person's
 * devices, then sends to each; a device that fails for a reason that may pass
 * (5xx, 429, timeout, network) is tried again after an exponential backoff,
 * PUSH_MAX_ATTEMPTS times in all; one the push service calls gone (404, 410)
 * is deleted. Nothing here throws into the caller or makes it wait.
 */
export class WebPushDispatcher implements PushDispatcher {
  readonly publicKey: string;
  private readonly queue: Job[] = [];
  /** Jobs queued, in flight, or waiting for their retry: what PUSH_QUEUE_LIMIT bounds. */
  private pending = 0;
  private active = 0;
  private closed = false;
  private readonly retries = new Set<NodeJS.Timeout>();
  private waiters: Array<() => void> = [];
  /** Deliveries not started yet, by person and notification: a newer version of one replaces it in place. */
  private readonly waiting = new Map<string, ExpandJob>();

  constructor(private readonly deps: DispatcherDeps) {
    this.publicKey = deps.publicKey;
    deps.metrics.watchQueue(() => this.pending);
  }

  deliver(item: PushItem): void {
    if (this.closed || this.pending >= this.deps.config.PUSH_QUEUE_LIMIT) {
      this.deps.metrics.dropped(this.deps.log, this.pending);
      return;
    }
    // A burst of messages in one room updates one notification: its devices hear of its latest state once, not once per message.
    const key = `${item.userId} ${item.notificationId}`;
    const queued = this.waiting.get(key);
    if (queued) {
      queued.item = item;
      this.deps.metrics.outcome('coalesced');
      return;
    }
    const job: ExpandJob = { kind: 'expand', item };
    this.waiting.set(key, job);
    this.enqueue(job);
  }

  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops taking work, drops what waits to be retried or sent, and lets the requests in flight end. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.finish(this.retries.size + this.queue.length);
    this.retries.clear();
    this.queue.length = 0;
    this.waiting.clear();
    await this.idle();
    this.deps.sender.close();
  }

  private enqueue(job: Job): void {
    this.pending += 1;
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.deps.config.PUSH_CONCURRENCY && this.queue.length > 0) {
      const job = this.queue.shift()!;
      if (job.kind === 'expand') this.waiting.delete(`${job.item.userId} ${job.item.notificationId}`);
      this.active += 1;
      void this.run(job).finally(() => {
        this.active -= 1;
        this.finish(1);
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      if (job.kind === 'expand') await this.expand(job.item);
      else await this.send(job);
    } catch (error) {
      // A store error: this delivery is lost, the queue goes on.
      this.deps.metrics.outcome('error');
      this.deps.log.error({ err: error }, 'push delivery failed');
    }
  }

  private async expand(item: PushItem): Promise<void> {
    const devices = await this.deps.store.push.targetsOf(item.userId, new Date());
    if (!devices) return;
    // Subscribed with a session that has since ended: that browser is signed out, and stays unpushed.
    for (const id of devices.stale) await this.deps.store.push.remove(id);
    if (devices.targets.length === 0) return;
    const payload = pushPayload(item, devices.preview);
    const topic = topicOf(item.notificationId);
    // Bounded too: PUSH_SUBSCRIPTIONS_PER_USER devices per person at most.
    for (const target of devices.targets) if (!this.closed) this.enqueue({ kind: 'send', target, payload, topic, attempt: 1 });
  }

  private async send(job: SendJob): Promise<void> {
    const { outcome, status, retryAfterMs } = await this.deps.sender.send(job.target, job.payload, { topic: job.topic });
    const host = hostOf(job.target.endpoint);
    if (outcome === 'retry' && job.attempt < this.deps.config.PUSH_MAX_ATTEMPTS && !this.closed) {
      this.deps.metrics.outcome('retried');
      this.deps.log.debug({ host, status, attempt: job.attempt }, 'push failed; retrying');
      this.retryLater({ ...job, attempt: job.attempt + 1 }, retryAfterMs);
      return;
    }
    this.deps.metrics.outcome(outcome === 'retry' ? 'failed' : outcome);
    this.deps.log.debug({ host, status, outcome, attempts: job.attempt }, 'push done');
    if (outcome === 'sent') await this.recordSuccess(job.target);
    else if (outcome === 'gone') await this.deps.store.push.remove(job.target.id);
    else await this.deps.store.push.failed(job.target.id);
  }

  /**
   * A write per push would put every push in line with the messages for SQLite's
   * one writer: the success is recorded when it clears failures, or at most hourly.
   */
  private async recordSuccess(target: PushTarget): Promise<void> {
    const now = new Date();
    if (target.failures === 0 && target.lastSuccessAt && now.getTime() - target.lastSuccessAt.getTime() < SUCCESS_RECORDED_EVERY_MS) return;
    await this.deps.store.push.delivered(target.id, now);
  }

  private retryLater(job: SendJob, retryAfterMs = 0): void {
    this.pending += 1;
    // 1, 2, 4 … times the base, each ±25% so that devices failing together do not come back together;
    // never sooner than the push service asked (429/503 Retry-After), nor later than RETRY_AFTER_MAX_MS for its sake.
    const backoff = this.deps.config.PUSH_RETRY_BASE_MS * 2 ** (job.attempt - 2) * (0.75 + Math.random() * 0.5);
    const delay = Math.max(backoff, Math.min(retryAfterMs, RETRY_AFTER_MAX_MS));
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.pending -= 1;
      this.enqueue(job);
    }, delay);
    timer.unref();
    this.retries.add(timer);
  }

  private finish(count: number): void {
    this.pending -= count;
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Only the push service's host is logged: the endpoint's path is the device's capability. */
function hostOf(endpoint: string): string {
  return URL.canParse(endpoint) ? new URL(endpoint).host : 'invalid';
}
