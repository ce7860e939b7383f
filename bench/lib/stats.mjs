// Small statistics helpers for benchmark figures.

/** Median of numbers (undefined for none). */
export function median(xs) {
  return percentile(xs, 50);
}

/** Nearest-rank percentile p (0..100) of numbers (undefined for none). */
export function percentile(xs, p) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * v.length));
  return v[Math.min(rank, v.length) - 1];
}

/** Round to `d` decimals, keeping undefined. */
export function round(x, d = 1) {
  if (x === undefined || x === null || !Number.isFinite(x)) return x;
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
