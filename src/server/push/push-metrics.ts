import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';

export type PushOutcome = 'sent' | 'gone' | 'retried' | 'failed' | 'refused' | 'dropped' | 'coalesced' | 'error';
const OUTCOMES: PushOutcome[] = ['sent', 'gone', 'retried', 'failed', 'refused', 'dropped', 'coalesced', 'error'];

/** Web Push in /metrics: what became of each request, and how much waits. */
export class PushMetrics {
  private readonly outcomes: Counter<'outcome'>;
  private pending: () => number = () => 0;
  private droppedSinceLog = 0;
  private droppedLoggedAt = -Infinity;

  constructor(metrics: Pick<Metrics, 'registry'>) {
    this.outcomes = new Counter({
      name: 'hearth_push_total',
      help: 'Web Push by outcome: requests sent, gone (subscription deleted), retried, failed (given up), refused (4xx); deliveries dropped (queue full), coalesced (a newer version of a waiting one), error',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    for (const outcome of OUTCOMES) this.outcomes.inc({ outcome }, 0);
    const pending = () => this.pending();
    new Gauge({
      name: 'hearth_push_queue',
      help: 'Web Push work queued, in flight or waiting to retry',
      registers: [metrics.registry],
      collect() {
        this.set(pending());
      },
    });
  }

  outcome(outcome: PushOutcome): void {
    this.outcomes.inc({ outcome });
  }

  /** Counted each time, logged once per burst: an overload must not also flood the log. */
  dropped(log: Logger, pending: number): void {
    this.outcome('dropped');
    this.droppedSinceLog += 1;
    const now = Date.now();
    if (now - this.droppedLoggedAt < 10_000) return;
    log.warn({ dropped: this.droppedSinceLog, pending }, 'push dropped: the queue is full (PUSH_QUEUE_LIMIT)');
    this.droppedLoggedAt = now;
    this.droppedSinceLog = 0;
  }

  watchQueue(pending: () => number): void {
    this.pending = pending;
  }
}
