// Rebuilds dirty analytics tier blocks (5-minute and hourly totals: dimensionless and by dimension from the per-minute rollups, by attribute from raw events).
import type pg from 'pg';
import { withTransaction } from '../../db/tenant.ts';
import { addHistogramTexts, histogramTextAgg, latencyPercentiles } from '../latency-histogram.ts';
import { rebuildAttributeBlock } from './attributes.ts';

/**
 * What the refresher needs: the system-role pool (cross-org, as the loader). `budgetMs`: start no block
 * after this long (the rest stay dirty, and exact, for the next run), for callers with a deadline.
 */
export type RefreshDeps = {
  pool: pg.Pool;
  batchSize?: number;
  budgetMs?: number;
  onError?: (error: unknown) => void;
};

const INTERVAL = { '5m': '5 minutes', '1h': '1 hour' } as const;

type Block = { org_id: string; project_id: string; grain: '5m' | '1h'; start: Date };

/**
 * One block in one REPEATABLE READ transaction: the markers it deletes are exactly those visible in the
 * snapshot it aggregated, so a change committed meanwhile keeps its own marker for the next pass.
 * @returns false when another refresher holds the block's markers (it will do the work).
 */
function refreshBlock(pool: pg.Pool, block: Block): Promise<boolean> {
  return withTransaction(
    pool,
    async (client) => {
      const markers = await client.query<{ id: number }>(
        `SELECT id FROM analytics_dirty WHERE project_id = $1 AND grain = $2 AND start = $3 FOR UPDATE SKIP LOCKED`,
        [block.project_id, block.grain, block.start],
      );
      if (markers.rows.length === 0) return false;
      const block4 = [block.org_id, block.project_id, block.grain, block.start];
      await client.query(
        'DELETE FROM dimension_rollups WHERE org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4',
        block4,
      );
      // The one pass over the block's per-minute rows: dimensional rows with their histograms merged
      // in SQL (stored as JSON text: see migration 0016). Each minute row is expanded into its histogram buckets (LEFT JOIN: a row without
      // latencies keeps one NULL bucket) and its counters are counted on its first bucket only.
      await client.query(
        `INSERT INTO dimension_rollups (org_id, project_id, grain, start, model, provider, operation, status, environment,
                                        events, errors, input_tokens, output_tokens, cost_usd, latency_hist, source_updated_at)
         SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, model, provider, operation, status, environment,
                sum(events), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_usd),
                ${histogramTextAgg('b', 'n', 'b IS NOT NULL')}, max(updated_at)
           FROM (
             SELECT r.model, r.provider, r.operation, r.status, r.environment, h.b, sum(h.n::bigint)::bigint AS n,
                    sum(r.events) FILTER (WHERE h.ord IS NULL OR h.ord = 1) AS events,
                    sum(r.errors) FILTER (WHERE h.ord IS NULL OR h.ord = 1) AS errors,
                    sum(r.input_tokens) FILTER (WHERE h.ord IS NULL OR h.ord = 1) AS input_tokens,
                    sum(r.output_tokens) FILTER (WHERE h.ord IS NULL OR h.ord = 1) AS output_tokens,
                    sum(r.cost_usd) FILTER (WHERE h.ord IS NULL OR h.ord = 1) AS cost_usd,
                    max(r.updated_at) AS updated_at
               FROM event_rollups_1m r
               LEFT JOIN LATERAL jsonb_each_text(r.latency_hist) WITH ORDINALITY AS h(b, n, ord) ON true
              WHERE r.org_id = $1 AND r.project_id = $2 AND r.minute >= $4 AND r.minute < $4 + $5::interval
              GROUP BY 1, 2, 3, 4, 5, 6
           ) per_bucket
          GROUP BY model, provider, operation, status, environment`,
        [...block4, INTERVAL[block.grain]],
      );
      // The attribute rows, from the block's raw events in the same snapshot (a change committed later
      // leaves its marker, as for the rows above).
      await rebuildAttributeBlock(
        client,
        [block.org_id, block.project_id, block.grain, block.start],
        INTERVAL[block.grain],
      );
      // The dimensionless row sums the block's few dimensional rows just written (their histograms
      // sent as one JSON text and added up here).
      const totals = await client.query<{
        n: number;
        events: number;
        errors: number;
        input_tokens: number;
        output_tokens: number;
        cost_usd: number;
        updated_at: Date | null;
        hists: string | null;
      }>(
        `SELECT count(*)::int AS n, coalesce(sum(events), 0)::bigint AS events, coalesce(sum(errors), 0)::bigint AS errors,
              coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
              coalesce(sum(cost_usd), 0)::numeric AS cost_usd, max(source_updated_at) AS updated_at,
              string_agg(latency_hist, ',') AS hists
         FROM dimension_rollups WHERE org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4`,
        block4,
      );
      const t = totals.rows[0];
      if (!t || t.n === 0) {
        await client.query(
          'DELETE FROM analytics_rollups WHERE org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4',
          block4,
        );
      } else {
        const hist = addHistogramTexts({}, t.hists);
        const p = latencyPercentiles(hist);
        await client.query(
          `INSERT INTO analytics_rollups (org_id, project_id, grain, start, events, errors, input_tokens, output_tokens, cost_usd,
                                        latency_hist, p50, p95, p99, source_updated_at, refreshed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, clock_timestamp())
         ON CONFLICT (org_id, project_id, grain, start) DO UPDATE SET
           events = excluded.events, errors = excluded.errors, input_tokens = excluded.input_tokens,
           output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd, latency_hist = excluded.latency_hist,
           p50 = excluded.p50, p95 = excluded.p95, p99 = excluded.p99, source_updated_at = excluded.source_updated_at,
           refreshed_at = excluded.refreshed_at`,
          [
            block.org_id,
            block.project_id,
            block.grain,
            block.start,
            t.events,
            t.errors,
            t.input_tokens,
            t.output_tokens,
            t.cost_usd,
            JSON.stringify(hist),
            p.p50,
            p.p95,
            p.p99,
            t.updated_at,
          ],
        );
      }
      await client.query('DELETE FROM analytics_dirty WHERE id = ANY($1::bigint[])', [
        markers.rows.map((m) => m.id),
      ]);
      return true;
    },
    { isolation: 'REPEATABLE READ' },
  );
}

/**
 * Refreshes every dirty block, oldest marker first, until none is left (or only ones another refresher
 * holds, or `budgetMs` has passed). Safe to run in several processes at once.
 * @returns how many blocks were rebuilt.
 */
export async function refreshAnalyticsTiers(deps: RefreshDeps): Promise<number> {
  let done = 0;
  const deadline = deps.budgetMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + deps.budgetMs;
  for (;;) {
    if (performance.now() >= deadline) return done;
    const { rows } = await deps.pool.query<Block>(
      `SELECT org_id, project_id, grain, start FROM (
         SELECT DISTINCT ON (project_id, grain, start) org_id, project_id, grain, start, id
           FROM analytics_dirty ORDER BY project_id, grain, start, id) b
        ORDER BY id LIMIT $1`,
      [deps.batchSize ?? 200],
    );
    if (rows.length === 0) return done;
    let progressed = false;
    for (const block of rows) {
      if (performance.now() >= deadline) return done;
      try {
        if (await refreshBlock(deps.pool, block)) {
          done += 1;
          progressed = true;
        }
      } catch (error) {
        // e.g. a serialization conflict with a concurrent refresher: the marker stays for the next pass.
        deps.onError?.(error);
      }
    }
    if (!progressed) return done;
  }
}

/** Runs `refreshAnalyticsTiers` every `intervalMs` (single flight) until stopped. */
export function startTierRefresher(deps: RefreshDeps & { intervalMs?: number }): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= refreshAnalyticsTiers(deps)
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  }, deps.intervalMs ?? 1_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
