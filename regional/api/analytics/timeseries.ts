// Timeseries: counters and percentiles per interval bucket (gaps filled with zeros), from the tiers and rollups.
import { withOrg } from '../../db/tenant.ts';
import { type Counters, counters } from '../../rollups/minutes.ts';
import { readPoints } from '../../rollups/tiers/read.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { parseQuery } from '../query.ts';
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

/** One point: the bucket starting at `t`. */
export type Point = Counters & { t: string; p50: number | null; p95: number | null; p99: number | null };

/** Timeseries answer. */
export type Timeseries = {
  interval: Interval;
  from: string;
  to: string;
  points: Point[];
  data_as_of: string | null;
};

const ZERO: Counters = { events: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
const NO_LATENCY = { p50: null, p95: null, p99: null };

/** Query parameters of the timeseries. */
export const TIMESERIES_QUERY = { ...RANGE_QUERY, interval: INTERVAL_PARAM };

/** Buckets aligned to the interval since the Unix epoch (so 1h buckets start on the hour, UTC). */
export async function timeseries(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Timeseries> {
  const q = parseQuery(TIMESERIES_QUERY, query);
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const interval = resolveInterval(q.interval, range);
  const projectId = q.project_id;
  const stepMs = INTERVALS[interval] * 60_000;
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    const byPoint = await readPoints(client, caller.org_id, projects, range, stepMs);
    const points: Point[] = [];
    let asOf: Date | null = null;
    for (const [t, p] of byPoint) {
      if (p.updated_at && (!asOf || p.updated_at > asOf)) asOf = p.updated_at;
      points.push({ t, ...counters(p.events > 0 ? p : ZERO), ...(p.events > 0 ? p.latency : NO_LATENCY) });
    }
    return {
      interval,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      points,
      data_as_of: asOf ? (asOf as Date).toISOString() : null,
    };
  });
}
