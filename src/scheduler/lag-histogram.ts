// Scheduler lag (actual start − scheduled start of a check) as a fixed-bucket histogram.

/** Upper bounds (ms, inclusive) of the histogram buckets; the last bucket is everything above. */
export const LAG_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** A read-only view of the lag histogram (status JSON, benchmarks). */
export interface LagSnapshot {
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
  /** Bucket counts: `counts[i]` for lag ≤ LAG_BUCKETS_MS[i]; the extra last entry counts the rest. */
  readonly buckets: readonly { readonly leMs: number | "+Inf"; readonly count: number }[];
  /** Approximate quantiles (upper bound of the bucket holding the quantile; maxMs for the overflow bucket). */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A lag histogram. */
export class LagHistogram {
  private readonly counts = new Array<number>(LAG_BUCKETS_MS.length + 1).fill(0);
  private count = 0;
  private sum = 0;
  private max = 0;

  /** Record one lag in ms (negative values, from clock granularity, count as 0). */
  record(lagMs: number): void {
    const v = Math.max(0, lagMs);
    let i = LAG_BUCKETS_MS.findIndex((b) => v <= b);
    if (i < 0) i = LAG_BUCKETS_MS.length;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count += 1;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** A copy of the current figures. */
  snapshot(): LagSnapshot {
    const quantile = (q: number): number => {
      if (this.count === 0) return 0;
      const rank = Math.ceil(q * this.count);
      let seen = 0;
      for (let i = 0; i < this.counts.length; i++) {
        seen += this.counts[i] ?? 0;
        if (seen >= rank) return Math.min(LAG_BUCKETS_MS[i] ?? this.max, this.max);
      }
      return this.max;
    };
    return {
      count: this.count,
      sumMs: this.sum,
      maxMs: this.max,
      buckets: this.counts.map((count, i) => ({ leMs: LAG_BUCKETS_MS[i] ?? "+Inf", count })),
      p50Ms: quantile(0.5),
      p99Ms: quantile(0.99),
    };
  }
}
