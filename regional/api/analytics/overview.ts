// Overview: totals, error rate and latency percentiles over a range, from the analytics tiers, or filtered (source.ts).
import { withOrg } from '../../db/tenant.ts';
import { type Counters, counters } from '../../rollups/minutes.ts';
import { type PointTotals, readPoints } from '../../rollups/tiers/read.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { parseQuery } from '../query.ts';
import { FILTER_QUERY, filtersOf, hasFilters } from './filters.ts';
import { DEFAULT_MAX_RANGE_DAYS, RANGE_QUERY, resolveRange } from './params.ts';
import { projectScope } from './scope.ts';
import { aggregate, latencyOf, sourceFor, wholeRange } from './source.ts';

/** Overview answer. */
export type Overview = Counters & {
  error_rate: number;
  latency_ms: { p50: number | null; p95: number | null; p99: number | null };
  from: string;
  to: string;
  /** When the newest rollup data in this answer was written; null when there is no data. */
  data_as_of: string | null;
};

/** Query parameters of the overview. */
export const OVERVIEW_QUERY = { ...RANGE_QUERY, ...FILTER_QUERY };

/** Totals over the range for one project or all of the caller's org. */
export async function overview(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Overview> {
  const q = parseQuery(OVERVIEW_QUERY, query);
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const projectId = q.project_id;
  const filters = filtersOf(q, query);
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    let totals: PointTotals | undefined;
    if (hasFilters(filters)) {
      const src = await sourceFor(client, caller.org_id, projects, range, filters, { dimensions: 'model' });
      const g = (await aggregate(client, src, wholeRange)).get('');
      totals = g && { ...g, latency: latencyOf(g) };
    } else {
      totals = (await readPoints(client, caller.org_id, projects, range, null)).get('');
    }
    const c = counters(totals ?? { events: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 });
    return {
      ...c,
      error_rate: c.events > 0 ? c.errors / c.events : 0,
      latency_ms: totals?.latency ?? { p50: null, p95: null, p99: null },
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      data_as_of: totals?.updated_at ? totals.updated_at.toISOString() : null,
    };
  });
}
