/**
 * A log-bucketed latency histogram in microseconds (2% buckets up to ~1000 s):
 * constant memory and one Math.log per sample, so a receiver can record every
 * delivery instead of a sample, and histograms from several processes add up.
 */
const GROWTH = Math.log(1.02);
const BUCKETS = 1100;

export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sumUs = 0;
  maxUs = 0;

  record(us: number): void {
    const v = us < 1 ? 1 : us;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(v) / GROWTH));
    this.counts[i]!++;
    this.count++;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  /** Sparse [bucket, count] pairs, for sending across IPC. */
  toJSON(): SerializedHistogram {
    const buckets: [number, number][] = [];
    this.counts.forEach((n, i) => n > 0 && buckets.push([i, n]));
    return { buckets, count: this.count, sumUs: this.sumUs, maxUs: this.maxUs };
  }

  add(other: SerializedHistogram): void {
    for (const [i, n] of other.buckets) this.counts[i]! += n;
    this.count += other.count;
    this.sumUs += other.sumUs;
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /** The q-quantile in milliseconds (bucket midpoint; null when empty). */
  quantileMs(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.maxUs, Math.exp((i + 0.5) * GROWTH)) / 1000;
    }
    return this.maxUs / 1000;
  }

  summary(): LatencySummary {
    const r = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
    return {
      samples: this.count,
      p50Ms: r(this.quantileMs(0.5)),
      p95Ms: r(this.quantileMs(0.95)),
      p99Ms: r(this.quantileMs(0.99)),
      maxMs: r(this.count ? this.maxUs / 1000 : null),
      meanMs: r(this.count ? this.sumUs / this.count / 1000 : null),
    };
  }

  static merge(parts: SerializedHistogram[]): Histogram {
    const h = new Histogram();
    for (const p of parts) h.add(p);
    return h;
  }
}

export interface SerializedHistogram {
  buckets: [number, number][];
  count: number;
  sumUs: number;
  maxUs: number;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  meanMs: number | null;
}
