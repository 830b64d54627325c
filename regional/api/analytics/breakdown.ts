// Breakdown: counters and p95 per value of one dimension (model, provider, …), from the rollups.
import { withOrg } from '../../db/tenant.ts';
import {
  type Counters,
  counters,
  groupKey,
  mergedHistograms,
  percentiles,
  sumCounters,
} from '../../rollups/minutes.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { parseQuery } from '../query.ts';
import {
  BY_PARAM,
  DEFAULT_MAX_RANGE_DAYS,
  DIMENSIONS,
  type Dimension,
  RANGE_QUERY,
  resolveRange,
} from './params.ts';
import { projectScope } from './scope.ts';

/** One row per dimension value, most events first. */
export type BreakdownRow = Counters & { key: string; p95: number | null };

/** Breakdown answer (design §4.5). */
export type Breakdown = {
  by: Dimension;
  from: string;
  to: string;
  rows: BreakdownRow[];
  data_as_of: string | null;
};

/** Query parameters of the breakdown. */
export const BREAKDOWN_QUERY = { by: BY_PARAM, ...RANGE_QUERY };

/** Groups the range by `by`; the column name comes from the fixed DIMENSIONS map, never from input. */
export async function breakdown(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Breakdown> {
  const q = parseQuery(BREAKDOWN_QUERY, query);
  const by = q.by;
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const projectId = q.project_id;
  const group = { sql: DIMENSIONS[by], params: [] };
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    const rows = await sumCounters(client, caller.org_id, projects, range, group);
    const hists = await mergedHistograms(client, caller.org_id, projects, range, group);
    let asOf: Date | null = null;
    const out = rows.map((r) => {
      if (r.updated_at && (!asOf || r.updated_at > asOf)) asOf = r.updated_at;
      const key = groupKey(r.g);
      return { key, ...counters(r), p95: percentiles(hists.get(key)).p95 };
    });
    out.sort((a, b) => b.events - a.events || a.key.localeCompare(b.key));
    return {
      by,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      rows: out,
      data_as_of: asOf ? (asOf as Date).toISOString() : null,
    };
  });
}
