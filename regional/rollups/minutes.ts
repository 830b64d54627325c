// Shared rollup reads: counters and merged latency histograms over [from, to) minutes, optionally grouped.
import type pg from 'pg';
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

/** A grouping expression over rollup columns; only ever built from trusted constants in this folder. */
export type GroupExpr = { sql: string; params: unknown[] };

/**
 * The rows of these projects in the range. Every read goes through this WHERE: org first (the
 * first wall; RLS is the second), then the (project_id, minute) index.
 */
const WHERE = 'org_id = $1 AND project_id = ANY($2::uuid[]) AND minute >= $3 AND minute < $4';

function baseParams(orgId: string, projects: string[], range: TimeRange): unknown[] {
  return [orgId, projects, range.from, range.to];
}

/**
 * Latency histograms merged per group key, bucket by bucket, in SQL; only (group, bucket, count)
 * rows leave the database, so the transfer is bounded by groups × buckets, not by events.
 */
export async function mergedHistograms(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
  group: GroupExpr | null,
): Promise<Map<string, LatencyHistogram>> {
  const params = [...baseParams(orgId, projects, range), ...(group?.params ?? [])];
  const g = group ? group.sql : "''::text";
  const { rows } = await client.query<{ g: string | Date; b: string; n: number }>(
    `SELECT ${g} AS g, h.key AS b, sum(h.value::bigint)::bigint AS n
       FROM event_rollups_1m CROSS JOIN LATERAL jsonb_each_text(latency_hist) AS h
      WHERE ${WHERE}
      GROUP BY 1, 2`,
    params,
  );
  const out = new Map<string, LatencyHistogram>();
  for (const r of rows) {
    const key = groupKey(r.g);
    let hist = out.get(key);
    if (!hist) {
      hist = {};
      out.set(key, hist);
    }
    hist[r.b] = (hist[r.b] ?? 0) + r.n;
  }
  return out;
}

/** One ranked group of `topGroups`: `slot` 1..limit in order, 0 for the sum of all the others. */
export type RankedGroup = Counters & { slot: number; key: string; keys: number; updated_at: Date | null };

/**
 * Counters per value of one rollup column, the `limit` values with most events in their own rows
 * (ties by value) and every other value summed into slot 0, so at most limit + 1 rows leave the
 * database however many distinct values there are. NULL counts as the value ''. `column` must be a
 * trusted constant.
 */
export async function topGroups(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
  column: string,
  limit: number,
): Promise<RankedGroup[]> {
  const { rows } = await client.query<RankedGroup>(
    `WITH g AS (
       SELECT coalesce(${column}, '') AS g, sum(events)::bigint AS events, sum(errors)::bigint AS errors,
              sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
              sum(cost_usd)::numeric AS cost_usd, max(updated_at) AS updated_at
         FROM event_rollups_1m WHERE ${WHERE}
        GROUP BY 1
     ), r AS (
       SELECT g.*, row_number() OVER (ORDER BY events DESC, g COLLATE "C") AS rn FROM g
     )
     SELECT CASE WHEN rn <= $5 THEN rn ELSE 0 END::int AS slot, min(g) AS key, count(*)::int AS keys,
            sum(events)::bigint AS events, sum(errors)::bigint AS errors,
            sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
            sum(cost_usd)::numeric AS cost_usd, max(updated_at) AS updated_at
       FROM r GROUP BY 1 ORDER BY 1`,
    [...baseParams(orgId, projects, range), limit],
  );
  return rows;
}

/**
 * The group expression that folds every value of `column` outside `keys` into one group: values in
 * `keys` map to `k:<value>`, the rest to `o` (see `topGroups` for NULL).
 */
export function foldedGroup(column: string, keys: string[]): GroupExpr {
  return {
    sql: `CASE WHEN coalesce(${column}, '') = ANY($5::text[]) THEN 'k:' || coalesce(${column}, '') ELSE 'o' END`,
    params: [keys],
  };
}

/** Group values as map keys: instants by their ISO string. */
export function groupKey(g: string | Date | null): string {
  if (g instanceof Date) return g.toISOString();
  return g ?? '';
}

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
