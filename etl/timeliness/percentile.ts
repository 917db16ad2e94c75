/**
 * Percentiles from a histogram of whole working days, equal to PostgreSQL's percentile_cont over
 * the underlying values (linear interpolation between the two nearest order statistics). Pure.
 */
export interface HistogramBin {
  value: number;
  count: number;
}

export function percentileFromHistogram(bins: readonly HistogramBin[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new Error(`percentile must be within 0..1, got ${p}`);
  const sorted = bins.filter((b) => b.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, b) => s + b.count, 0);
  if (n === 0) return null;
  const pos = p * (n - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  const at = (k: number) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.count;
      if (k < seen) return b.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const a = at(lo),
    b = at(hi);
  return a + (b - a) * (pos - lo);
}
