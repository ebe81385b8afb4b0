/** Latency figures of one phase, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The nearest-rank percentile of ascending values: the smallest value with at
 * least p% of all values at or below it. NaN when there are none, so an empty
 * phase never reads as 0 ms.
 */
export function percentile(ascending: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) {
    throw new RangeError(`percentile must be in (0, 100], not ${String(p)}`);
  }
  if (ascending.length === 0) {
    return Number.NaN;
  }
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[rank - 1] ?? Number.NaN;
}

/** p50, p95, p99 and max of latencies in any order. */
export function summarize(latencies: readonly number[]): LatencySummary {
  const ascending = [...latencies].sort((a, b) => a - b);
  return {
    count: ascending.length,
    p50: percentile(ascending, 50),
    p95: percentile(ascending, 95),
    p99: percentile(ascending, 99),
    max: ascending.at(-1) ?? Number.NaN,
  };
}

/** value / base, or null when either is missing or the base is 0. */
export function ratio(value: number, base: number): number | null {
  return Number.isFinite(value) && Number.isFinite(base) && base > 0 ? value / base : null;
}

/** Rounded to `digits` decimals; NaN and infinities become null (JSON has no NaN). */
export function rounded(value: number | null, digits = 1): number | null {
  if (value === null || !Number.isFinite(value)) {
    return null;
  }
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Counts per key, keys in order. */
export function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) {
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
