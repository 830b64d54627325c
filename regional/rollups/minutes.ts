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

/** Counters per group key (`g`), plus the newest rollup update among them. */
export async function sumCounters(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
  group: GroupExpr | null,
): Promise<Array<Counters & { g: string | Date | null; updated_at: Date | null }>> {
  const params = [...baseParams(orgId, projects, range), ...(group?.params ?? [])];
  const g = group ? group.sql : 'NULL::text';
  const { rows } = await client.query<Counters & { g: string | Date | null; updated_at: Date | null }>(
    `SELECT ${g} AS g,
            coalesce(sum(events), 0)::bigint AS events,
            coalesce(sum(errors), 0)::bigint AS errors,
            coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
            coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
            coalesce(sum(cost_usd), 0)::numeric AS cost_usd,
            max(updated_at) AS updated_at
       FROM event_rollups_1m WHERE ${WHERE}
      ${group ? 'GROUP BY 1' : ''}`,
    params,
  );
  return rows;
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
