// Timeseries: counters and percentiles per interval bucket (gaps filled with zeros), optionally filtered and split by model.
import { withOrg } from '../../db/tenant.ts';
import { type Counters, counters } from '../../rollups/minutes.ts';
import { type PointTotals, readPoints } from '../../rollups/tiers/read.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { enumParam, limitParam, parseQuery } from '../query.ts';
import { FILTER_QUERY, filtersOf, hasFilters } from './filters.ts';
import {
  DEFAULT_MAX_RANGE_DAYS,
  INTERVAL_PARAM,
  INTERVALS,
  type Interval,
  RANGE_QUERY,
  resolveInterval,
  resolveRange,
} from './params.ts';
import { projectScope } from './scope.ts';
import { aggregate, byStep, latencyOf, type SplitCell, sourceFor, splitCells } from './source.ts';

/** One point: the bucket starting at `t`. */
export type Point = Counters & { t: string; p50: number | null; p95: number | null; p99: number | null };

/** Counters of one split value per bucket. */
export type SplitPoint = Counters & { t: string };

/** One series of a split: a value (`other: false`) or everything outside the top values (`other: true`). */
export type SplitSeries = { key: string; other: boolean; keys: number; points: SplitPoint[] };

/** Timeseries answer. */
export type Timeseries = {
  interval: Interval;
  from: string;
  to: string;
  points: Point[];
  /** With `split=model`: the top `split_limit` models by cost (then events), plus one `other` series. */
  split: { by: 'model'; series: SplitSeries[] } | null;
  data_as_of: string | null;
};

const ZERO: Counters = { events: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
const NO_LATENCY = { p50: null, p95: null, p99: null };

/** Query parameters of the timeseries. */
export const TIMESERIES_QUERY = {
  ...RANGE_QUERY,
  ...FILTER_QUERY,
  interval: INTERVAL_PARAM,
  split: enumParam(['model'], 'invalid_split'),
  split_limit: limitParam(5, 20),
};

/** Bucket starts of a range: aligned to the interval since the Unix epoch (1h buckets start on the hour, UTC). */
function bucketKeys(from: Date, to: Date, stepMs: number): string[] {
  const out: string[] = [];
  for (let p = Math.floor(from.getTime() / stepMs) * stepMs; p < to.getTime(); p += stepMs) {
    out.push(new Date(p).toISOString());
  }
  return out;
}

/**
 * Buckets aligned to the interval since the Unix epoch. Unfiltered totals come from the tiers;
 * filtered ones from the per-minute rollups or raw events (`source.ts`). A split reads the same source
 * per bucket × model, the models ranked over the whole range, so its size is bounded by
 * points × (split_limit + 1).
 */
export async function timeseries(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Timeseries> {
  const q = parseQuery(TIMESERIES_QUERY, query);
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const interval = resolveInterval(q.interval, range);
  const filters = filtersOf(q, query);
  const stepMs = INTERVALS[interval] * 60_000;
  const keys = bucketKeys(range.from, range.to, stepMs);
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, q.project_id);
    let byPoint: Map<string, PointTotals>;
    // Planned for the step: tier blocks only inside one bucket. The split reads the same source.
    const filtered = hasFilters(filters) || q.split === 'model';
    const src = filtered
      ? await sourceFor(client, caller.org_id, projects, range, filters, { stepMs, dimensions: 'model' })
      : null;
    // A filtered split over raw events scans them once: the buckets' totals are summed from the split's
    // cells (on the 10M-event benchmark, an attribute filter over the last hour at 1-minute buckets:
    // 590 → 300 ms). Over rollup rows alone two passes cost the same as one: the one pass groups and
    // sorts the histogram texts twice, which costs what it saves.
    const splitted =
      src && q.split === 'model'
        ? await splitCells(client, src, byStep(stepMs), 'model', q.split_limit, {
            totals: hasFilters(filters) && (src.kind === 'events' || src.readsEvents),
          })
        : null;
    if (src && hasFilters(filters)) {
      const groups = splitted?.totals ?? (await aggregate(client, src, byStep(stepMs)));
      byPoint = new Map();
      for (const t of keys) {
        const g = groups.get(t);
        byPoint.set(
          t,
          g ? { ...g, latency: latencyOf(g) } : { ...ZERO, updated_at: null, latency: NO_LATENCY },
        );
      }
    } else {
      byPoint = await readPoints(client, caller.org_id, projects, range, stepMs);
    }
    const points: Point[] = [];
    let asOf: Date | null = null;
    for (const [t, p] of byPoint) {
      if (p.updated_at && (!asOf || p.updated_at > asOf)) asOf = p.updated_at;
      points.push({ t, ...counters(p.events > 0 ? p : ZERO), ...(p.events > 0 ? p.latency : NO_LATENCY) });
    }
    let split: Timeseries['split'] = null;
    if (splitted) {
      const { cells, ranked, otherKeys } = splitted;
      const bySlot = new Map<string, SplitCell>();
      for (const c of cells) bySlot.set(`${c.t}|${c.slot}`, c);
      const series = (slot: number, key: string, n: number): SplitSeries => ({
        key,
        other: slot === 0,
        keys: n,
        points: keys.map((t) => ({ t, ...counters(bySlot.get(`${t}|${slot}`) ?? ZERO) })),
      });
      split = {
        by: 'model',
        series: [
          ...ranked.map((key, i) => series(i + 1, key, 1)),
          ...(otherKeys > 0 ? [series(0, '', otherKeys)] : []),
        ],
      };
    }
    return {
      interval,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      points,
      split,
      data_as_of: asOf ? (asOf as Date).toISOString() : null,
    };
  });
}
