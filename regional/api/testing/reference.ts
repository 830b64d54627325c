// Reference answers for the analytics tier tests: groups of counters and merged histograms computed straight from SQL rows.
import type { LatencyHistogram } from '../../rollups/latency-histogram.ts';
import { counters, percentiles } from '../../rollups/minutes.ts';

/** One reference group: counters, the percentiles of its merged histogram, and its newest write. */
export type Ref = ReturnType<typeof counters> & {
  latency: ReturnType<typeof percentiles>;
  updated_at: Date | null;
};

/** Counter sums per group (`g`) as a reference query returns them (numbers or their text). */
export type CounterRow = Record<string, unknown> & { g: unknown; updated_at: Date | null };

/** Histogram counts per group (`g`) and bucket (`b`). */
export type BucketRow = { g: unknown; b: unknown; n: unknown };

/** The reference groups, keyed by the group's text, from counter rows and bucket rows. */
export function referenceGroups(rows: CounterRow[], buckets: BucketRow[]): Map<string, Ref> {
  const hists = new Map<string, LatencyHistogram>();
  for (const r of buckets) {
    const hist = hists.get(String(r.g)) ?? {};
    hist[String(r.b)] = (hist[String(r.b)] ?? 0) + Number(r.n);
    hists.set(String(r.g), hist);
  }
  return new Map(
    rows.map((r) => [
      String(r.g),
      {
        ...counters(pick(r)),
        latency: percentiles(hists.get(String(r.g))),
        updated_at: r.updated_at,
      },
    ]),
  );
}

type Totals = ReturnType<typeof counters>;

/** The five counters of an answer or a reference, as numbers (0 when absent). */
export function pick(t: Record<string, unknown> | Totals | undefined): Totals {
  return {
    events: Number(t?.events ?? 0),
    errors: Number(t?.errors ?? 0),
    input_tokens: Number(t?.input_tokens ?? 0),
    output_tokens: Number(t?.output_tokens ?? 0),
    cost_usd: Number(t?.cost_usd ?? 0),
  };
}

/** The newest write of some reference groups, as `data_as_of` reports it. */
export function asOf(refs: Iterable<Ref>): string | null {
  let max: Date | null = null;
  for (const r of refs) if (r.updated_at && (!max || r.updated_at > max)) max = r.updated_at;
  return max ? max.toISOString() : null;
}

/** SQL: the ISO text of the `minutes` bucket (aligned to the epoch) holding `column`, as the API keys it. */
export function bucketOf(minutes: number, column: string): string {
  return `to_char(date_bin('${minutes} minutes', ${column}, timestamptz 'epoch') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A time range [from, to). */
export type Range = { from: Date; to: Date };

/**
 * The ranges the tier tests seed and read: three whole hours ending at the start of the current hour
 * (`aligned`), the same ragged at both ends so a read needs minutes, then 5-minute and 15-minute blocks, then hours
 * (`ragged`), and the starts of its middle and last hours.
 */
export function tierTestRanges(now = Date.now()) {
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const end = new Date(Math.floor(now / HOUR) * HOUR);
  const start = new Date(end.getTime() - 3 * HOUR);
  return {
    MIN,
    HOUR,
    end,
    start,
    aligned: { from: start, to: end } as Range,
    ragged: { from: new Date(start.getTime() + 7 * MIN), to: new Date(end.getTime() - 13 * MIN) } as Range,
    middleHour: new Date(start.getTime() + HOUR),
    lastHour: new Date(end.getTime() - HOUR),
  };
}
