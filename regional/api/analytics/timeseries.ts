// Timeseries: counters and percentiles per interval bucket (gaps filled with zeros), from the rollups.
import { withOrg } from '../../db/tenant.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import {
  DEFAULT_MAX_RANGE_DAYS,
  INTERVALS,
  type Interval,
  parseInterval,
  parseProjectId,
  parseRange,
} from './params.ts';
import { type Counters, counters, groupKey, mergedHistograms, percentiles, sumCounters } from './rollups.ts';
import { projectScope } from './scope.ts';

/** One point: the bucket starting at `t`. */
export type Point = Counters & { t: string; p50: number | null; p95: number | null; p99: number | null };

/** Timeseries answer (design §4.5). */
export type Timeseries = {
  interval: Interval;
  from: string;
  to: string;
  points: Point[];
  data_as_of: string | null;
};

const EPOCH = new Date(0);
const ZERO: Counters = { events: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };

/** Buckets aligned to the interval since the Unix epoch (so 1h buckets start on the hour, UTC). */
export async function timeseries(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Timeseries> {
  const range = parseRange(query, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const interval = parseInterval(query.interval, range);
  const projectId = parseProjectId(query.project_id);
  const stepMs = INTERVALS[interval] * 60_000;
  // $5/$6: the bucket width and origin, bound as parameters, never spliced into the SQL.
  const group = {
    sql: 'date_bin($5::interval, minute, $6::timestamptz)',
    params: [`${INTERVALS[interval]} minutes`, EPOCH],
  };
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    const rows = await sumCounters(client, caller.org_id, projects, range, group);
    const hists = await mergedHistograms(client, caller.org_id, projects, range, group);
    const byT = new Map(rows.map((r) => [groupKey(r.g), r]));
    const points: Point[] = [];
    let asOf: Date | null = null;
    const first = Math.floor(range.from.getTime() / stepMs) * stepMs;
    for (let t = first; t < range.to.getTime(); t += stepMs) {
      const key = new Date(t).toISOString();
      const row = byT.get(key);
      if (row?.updated_at && (!asOf || row.updated_at > asOf)) asOf = row.updated_at;
      points.push({ t: key, ...counters(row ?? ZERO), ...percentiles(hists.get(key)) });
    }
    return {
      interval,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      points,
      data_as_of: asOf ? asOf.toISOString() : null,
    };
  });
}
