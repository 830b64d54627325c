// Shared rollup types and answers: time range, counters, percentiles of a merged latency histogram.
import { type LatencyHistogram, latencyPercentiles } from './latency-histogram.ts';

/** A half-open time range [from, to) of whole minutes. */
export type TimeRange = { from: Date; to: Date };

/** Summed counters of a set of rollup rows. */
export type Counters = {
  events: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
};

/** p50/p95/p99 of a merged histogram (nulls when no latency was reported). */
export function percentiles(hist: LatencyHistogram | undefined): {
  p50: number | null;
  p95: number | null;
  p99: number | null;
} {
  const p = latencyPercentiles(hist ?? {});
  const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);
  return { p50: round(p.p50), p95: round(p.p95), p99: round(p.p99) };
}

/** Counters as the API shows them (cost rounded to micro-dollars to hide float noise). */
export function counters(r: Counters): Counters {
  return {
    events: r.events,
    errors: r.errors,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cost_usd: Math.round(r.cost_usd * 1e6) / 1e6,
  };
}
