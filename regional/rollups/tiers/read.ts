// Reads counters and latency percentiles per point from the cheapest exact sources (tiers, else per-minute rollups).
import type pg from 'pg';
import { addHistogramTexts, type LatencyHistogram } from '../latency-histogram.ts';
import { type Counters, percentiles, type TimeRange } from '../minutes.ts';
import {
  blockKey,
  parseBlockKey,
  planBlocks,
  planPoints,
  type RangePlan,
  TIER_GRAINS,
  type TierGrain,
} from './plan.ts';

/** Totals of one point (a timeseries bucket, or the whole range for the overview). */
export type PointTotals = Counters & {
  updated_at: Date | null;
  latency: { p50: number | null; p95: number | null; p99: number | null };
};

type TierRow = Counters & {
  grain: TierGrain;
  start: Date;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  source_updated_at: Date | null;
};

const zero = (): PointTotals & { hist: LatencyHistogram; rows: number; minuteRows: number } => ({
  events: 0,
  errors: 0,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
  updated_at: null,
  latency: { p50: null, p95: null, p99: null },
  hist: {},
  rows: 0,
  minuteRows: 0,
});

function addHist(into: LatencyHistogram, bucket: string, n: number): void {
  into[bucket] = (into[bucket] ?? 0) + n;
}

/**
 * Blocks with a pending change (analytics_dirty) near `range` for any of `projects`: their tier rows,
 * dimensionless or by dimension, are stale until the refresher rebuilds them.
 */
export async function dirtyBlocks(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
): Promise<Set<string>> {
  const { rows } = await client.query<{ grain: TierGrain; start: Date }>(
    `SELECT DISTINCT grain, start FROM analytics_dirty
      WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND start > $3::timestamptz - interval '1 hour' AND start < $4`,
    [orgId, projects, range.from, range.to],
  );
  return new Set(rows.map((r) => blockKey(r.grain, r.start)));
}

/** Set once the database is seen to have 15-minute blocks (it keeps them). */
let quarterHours = false;

/**
 * The tier grains the database has, coarsest first: 15-minute blocks only once migration 0017 allowed
 * them (its CHECK on analytics_dirty). Code deployed before the migration runs would otherwise plan
 * 15-minute blocks that have neither rows nor markers, and read nothing for them. Asked of the
 * catalog on every plan until the answer is yes, then never again.
 */
export async function tierGrains(client: pg.ClientBase): Promise<readonly TierGrain[]> {
  if (!quarterHours) {
    const { rows } = await client.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'analytics_dirty'::regclass AND conname = 'analytics_dirty_grain_check'`,
    );
    quarterHours = rows[0]?.def.includes("'15m'") ?? false;
  }
  return quarterHours ? TIER_GRAINS : TIER_GRAINS.filter((g) => g !== '15m');
}

/**
 * Plans `range` per point (`planPoints`) against the blocks that are dirty right now, plus `unusable`
 * blocks the caller's tier cannot answer either (e.g. an attribute key that overflowed there).
 */
export async function planRange(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
  stepMs: number | null,
  unusable?: ReadonlySet<string>,
): Promise<RangePlan> {
  const dirty = await dirtyBlocks(client, orgId, projects, range);
  for (const b of unusable ?? []) dirty.add(b);
  return planPoints(range, stepMs, dirty, await tierGrains(client));
}

/**
 * Totals per point for `projects` (all of the caller's org) over `range`, where points are the
 * `stepMs` buckets aligned to the Unix epoch, or one point (key '') when `stepMs` is null. Cost grows
 * with the number of hours, 15-minute and 5-minute blocks in the range (plus minutes at ragged or dirty edges),
 * never with the number of events.
 */
export async function readPoints(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
  stepMs: number | null,
): Promise<Map<string, PointTotals>> {
  const plan = await planRange(client, orgId, projects, range, stepMs);
  const { points: keys, blocks: tierPoint, minutes } = plan;
  const points = new Map<string, ReturnType<typeof zero>>(keys.map((k) => [k, zero()]));

  // Range scans on (project_id, grain, start) rather than `start = ANY(list)`: one index range per
  // grain instead of one probe per block; rows the plan did not ask for are dropped below.
  const params: unknown[] = [orgId, projects];
  const ranges = planBlocks(plan)
    .filter(([, list]) => list.length > 0)
    .map(([grain, list]) => {
      params.push(new Date(Math.min(...list.map(Number))), new Date(Math.max(...list.map(Number))));
      return `(grain = '${grain}' AND start BETWEEN $${params.length - 1} AND $${params.length})`;
    });
  const tiers =
    ranges.length === 0
      ? []
      : (
          await client.query<TierRow>(
            `SELECT grain, start, events, errors, input_tokens, output_tokens, cost_usd, p50, p95, p99, source_updated_at
               FROM analytics_rollups
              WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND (${ranges.join(' OR ')})`,
            params,
          )
        ).rows.filter((row) => tierPoint.has(blockKey(row.grain, row.start)));
  // Per-minute rows are grouped by their point in SQL: date_bin to the step (same epoch alignment as
  // the keys above), or one group for the whole range.
  const group = stepMs
    ? `date_bin(make_interval(secs => $4::double precision / 1000), minute, timestamptz 'epoch')`
    : 'NULL::timestamptz';
  const minuteParams = stepMs ? [orgId, projects, minutes, stepMs] : [orgId, projects, minutes];
  const minuteRows =
    minutes.length === 0
      ? []
      : (
          await client.query<Counters & { g: Date | null; n: number; updated_at: Date | null }>(
            `SELECT ${group} AS g, count(*)::int AS n, sum(events)::bigint AS events, sum(errors)::bigint AS errors,
                    sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
                    sum(cost_usd)::numeric AS cost_usd, max(updated_at) AS updated_at
               FROM event_rollups_1m
              WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND minute = ANY($3::timestamptz[])
              GROUP BY 1`,
            minuteParams,
          )
        ).rows;
  const keyOf = (g: Date | null): string => (g ? g.toISOString() : '');

  const add = (pt: ReturnType<typeof zero>, c: Counters, updated: Date | null) => {
    pt.events += c.events;
    pt.errors += c.errors;
    pt.input_tokens += c.input_tokens;
    pt.output_tokens += c.output_tokens;
    pt.cost_usd += c.cost_usd;
    if (updated && (!pt.updated_at || updated > pt.updated_at)) pt.updated_at = updated;
  };
  const single = new Map<string, TierRow>();
  for (const row of tiers) {
    const key = tierPoint.get(blockKey(row.grain, row.start)) ?? '';
    const pt = points.get(key);
    if (!pt) continue;
    add(pt, row, row.source_updated_at);
    pt.rows += 1;
    single.set(key, row);
  }
  for (const row of minuteRows) {
    const pt = points.get(keyOf(row.g));
    if (!pt) continue;
    add(pt, row, row.updated_at);
    pt.minuteRows += row.n;
  }

  // A point made of exactly one tier row already has its percentiles; every other point merges histograms.
  const mergeKeys = new Set([...points].filter(([, pt]) => pt.minuteRows > 0 || pt.rows > 1).map(([k]) => k));
  const tierHist = [...tierPoint].filter(([, k]) => mergeKeys.has(k)).map(([b]) => b);
  if (tierHist.length > 0) {
    const byGrain = new Map<TierGrain, Date[]>();
    for (const b of tierHist) {
      const { grain, start } = parseBlockKey(b);
      const list = byGrain.get(grain);
      if (list) list.push(start);
      else byGrain.set(grain, [start]);
    }
    const histParams: unknown[] = [orgId, projects];
    const lists = [...byGrain].map(([grain, starts]) => {
      histParams.push(starts);
      return `(grain = '${grain}' AND start = ANY($${histParams.length}::timestamptz[]))`;
    });
    // Tier histograms are merged here rather than with jsonb_each_text in SQL: a few dozen ~1 KB objects
    // parse and add up in well under a millisecond, the SQL expansion costs tens. Stored as JSON text
    // (migration 0016), so they cross as strings and are parsed by the same helper as string_agg's.
    const { rows } = await client.query<{ grain: TierGrain; start: Date; latency_hist: string }>(
      `SELECT grain, start, latency_hist FROM analytics_rollups
        WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND (${lists.join(' OR ')})`,
      histParams,
    );
    for (const r of rows) {
      const pt = points.get(tierPoint.get(blockKey(r.grain, r.start)) ?? '');
      if (!pt) continue;
      addHistogramTexts(pt.hist, r.latency_hist);
    }
  }
  if (minuteRows.length > 0) {
    const { rows } = await client.query<{ g: Date | null; b: string; n: number }>(
      `SELECT ${group} AS g, h.key AS b, sum(h.value::bigint)::bigint AS n
         FROM event_rollups_1m CROSS JOIN LATERAL jsonb_each_text(latency_hist) AS h
        WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND minute = ANY($3::timestamptz[])
        GROUP BY 1, 2`,
      minuteParams,
    );
    for (const r of rows) {
      const pt = points.get(keyOf(r.g));
      if (pt) addHist(pt.hist, r.b, r.n);
    }
  }

  const out = new Map<string, PointTotals>();
  for (const [key, pt] of points) {
    const one = single.get(key);
    const latency =
      !mergeKeys.has(key) && one
        ? { p50: round(one.p50), p95: round(one.p95), p99: round(one.p99) }
        : percentiles(pt.hist);
    out.set(key, {
      events: pt.events,
      errors: pt.errors,
      input_tokens: pt.input_tokens,
      output_tokens: pt.output_tokens,
      cost_usd: pt.cost_usd,
      updated_at: pt.updated_at,
      latency,
    });
  }
  return out;
}

function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}
