// Breakdown: counters and latency percentiles per value of one dimension (model, provider, …, error type), top N plus "other".
import { withOrg } from '../../db/tenant.ts';
import { type Counters, counters } from '../../rollups/minutes.ts';
import { readPoints } from '../../rollups/tiers/read.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { limitParam, parseQuery } from '../query.ts';
import { FILTER_QUERY, filtersOf, hasFilters } from './filters.ts';
import {
  BY_PARAM,
  DEFAULT_MAX_RANGE_DAYS,
  DIMENSIONS,
  type Dimension,
  RANGE_QUERY,
  resolveRange,
} from './params.ts';
import { projectScope } from './scope.ts';
import { aggregate, folded, latencyOf, ranked, sourceFor, wholeRange } from './source.ts';

/** One row per dimension value, most events first. */
export type BreakdownRow = Counters & { key: string; p50: number | null; p95: number | null };

/** Everything outside the top `limit` values, summed; `keys` is how many values it folds. */
export type BreakdownOther = Counters & { keys: number; p50: number | null; p95: number | null };

/** Breakdown answer: `rows` plus `other` add up to the range's totals (for `error_type`: its failed events). */
export type Breakdown = {
  by: Dimension;
  from: string;
  to: string;
  limit: number;
  rows: BreakdownRow[];
  other: BreakdownOther | null;
  /** Every event of the range that the filters select: the denominator of an error type's share of calls. */
  range_events: number;
  data_as_of: string | null;
};

/** Query parameters of the breakdown. */
export const BREAKDOWN_QUERY = { by: BY_PARAM, ...RANGE_QUERY, ...FILTER_QUERY, limit: limitParam(20, 1000) };

/**
 * Groups the range by `by`: the `limit` values with most events, and one `other` row with the rest
 * (merged histograms for its percentiles). The answer's size is bounded by `limit`, not by how many
 * distinct values customers send. The column name comes from the fixed DIMENSIONS map, never from
 * input. Rollup dimensions read the per-minute rollups unless a filter needs raw events; `error_type`
 * reads the failed events of the range (partial index) and counts every event for `range_events`.
 */
export async function breakdown(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Breakdown> {
  const q = parseQuery(BREAKDOWN_QUERY, query);
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const column = DIMENSIONS[q.by];
  const filters = filtersOf(q, query);
  const errorTypes = q.by === 'error_type';
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, q.project_id);
    const src = await sourceFor(client, caller.org_id, projects, range, filters, {
      forceEvents: errorTypes,
      extra: errorTypes ? "status = 'error'" : undefined,
      dimensions: column === 'model' ? 'model' : 'all',
    });
    const groups = await ranked(client, src, column, q.limit);
    const top = groups.filter((g) => g.slot > 0);
    const rest = groups.find((g) => g.slot === 0);
    // Histograms only: the counters come from `ranked`.
    const hists = await aggregate(
      client,
      src,
      folded(
        column,
        top.map((g) => g.key),
      ),
      { counters: false },
    );
    let rangeEvents = groups.reduce((n, g) => n + g.events, 0);
    if (errorTypes) {
      // Every event the filters select, failed or not: the tiers when unfiltered, else rollups or events.
      rangeEvents = hasFilters(filters)
        ? ((
            await aggregate(
              client,
              await sourceFor(client, caller.org_id, projects, range, filters, {
                budget: src.budget,
                dimensions: 'model',
              }),
              wholeRange,
              { latency: false },
            )
          ).get('')?.events ?? 0)
        : ((await readPoints(client, caller.org_id, projects, range, null)).get('')?.events ?? 0);
    }
    let asOf: Date | null = null;
    for (const g of groups) if (g.updated_at && (!asOf || g.updated_at > asOf)) asOf = g.updated_at;
    const latency = (groupKey: string) => {
      const p = latencyOf(hists.get(groupKey));
      return { p50: p.p50, p95: p.p95 };
    };
    return {
      by: q.by,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      limit: q.limit,
      rows: top.map((g) => ({ key: g.key, ...counters(g), ...latency(`k:${g.key}`) })),
      other: rest ? { keys: rest.keys, ...counters(rest), ...latency('o') } : null,
      range_events: rangeEvents,
      data_as_of: asOf ? (asOf as Date).toISOString() : null,
    };
  });
}
