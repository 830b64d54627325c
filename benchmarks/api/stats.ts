// Small statistics helpers for the benchmark reports.

/** The q-quantile (nearest rank) of a sample, in its unit. */
export function quantile(sample: number[], q: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** p50/p95/p99/max, rounded to 0.1. */
export function summary(sample: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sample.length,
    p50: r(quantile(sample, 0.5)),
    p95: r(quantile(sample, 0.95)),
    p99: r(quantile(sample, 0.99)),
    max: r(Math.max(...sample)),
  };
}
