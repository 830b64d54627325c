// Rebuilds dirty analytics tier blocks (5-minute, 15-minute and hourly totals: dimensionless and by dimension from the per-minute rollups, by attribute from raw events; coarser blocks from their clean 5-minute rows).
import type pg from 'pg';
import { withTransaction } from '../../db/tenant.ts';
import { addHistogramTexts, histogramTextAgg, latencyPercentiles } from '../latency-histogram.ts';
import { rebuildAttributeBlock } from './attributes.ts';
import { type BlockParts, blockParts } from './parts.ts';
import { GRAIN_INTERVAL, GRAIN_MS, type TierGrain } from './plan.ts';

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

/** A tier block of one project. */
export type TierBlock = { org_id: string; project_id: string; grain: TierGrain; start: Date };

/**
 * Inserts the dimensional rows of one block (its old rows deleted) in the caller's transaction: one
 * pass over the per-minute rows of its dirty 5-minute parts and the dimension_rollups rows of its clean
 * ones, histograms merged in SQL (stored as JSON text: see migration 0016). Each source row is expanded
 * into its histogram buckets (LEFT JOIN: a row without latencies keeps one NULL bucket) and its
 * counters are counted on its first bucket only.
 */
async function insertDimensionRows(
  client: pg.ClientBase,
  block4: unknown[],
  parts: BlockParts,
): Promise<void> {
  const params: unknown[] = [...block4];
  const spans = parts.dirty.map((from) => {
    params.push(from, new Date(from.getTime() + GRAIN_MS['5m']));
    return `(r.minute >= $${params.length - 1}::timestamptz AND r.minute < $${params.length}::timestamptz)`;
  });
  const dims = 'r.model, r.provider, r.operation, r.status, r.environment';
  const counters = 'r.events, r.errors, r.input_tokens, r.output_tokens, r.cost_usd';
  const arms: string[] = [];
  if (spans.length > 0) {
    arms.push(`SELECT ${dims}, h.b, h.n, h.ord, ${counters}, r.updated_at
                 FROM event_rollups_1m r
                 LEFT JOIN LATERAL jsonb_each_text(r.latency_hist) WITH ORDINALITY AS h(b, n, ord) ON true
                WHERE r.org_id = $1 AND r.project_id = $2 AND (${spans.join(' OR ')})`);
  }
  if (parts.clean.length > 0) {
    params.push(parts.clean);
    arms.push(`SELECT ${dims}, h.b, h.n, h.ord, ${counters}, r.source_updated_at
                 FROM dimension_rollups r
                 LEFT JOIN LATERAL json_each_text(r.latency_hist::json) WITH ORDINALITY AS h(b, n, ord) ON true
                WHERE r.org_id = $1 AND r.project_id = $2 AND r.grain = '5m' AND r.start = ANY($${params.length}::timestamptz[])`);
  }
  await client.query(
    `INSERT INTO dimension_rollups (org_id, project_id, grain, start, model, provider, operation, status, environment,
                                    events, errors, input_tokens, output_tokens, cost_usd, latency_hist, source_updated_at)
     SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, model, provider, operation, status, environment,
            sum(events), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_usd),
            ${histogramTextAgg('b', 'n', 'b IS NOT NULL')}, max(updated_at)
       FROM (
         SELECT model, provider, operation, status, environment, b, sum(n::bigint)::bigint AS n,
                sum(events) FILTER (WHERE ord IS NULL OR ord = 1) AS events,
                sum(errors) FILTER (WHERE ord IS NULL OR ord = 1) AS errors,
                sum(input_tokens) FILTER (WHERE ord IS NULL OR ord = 1) AS input_tokens,
                sum(output_tokens) FILTER (WHERE ord IS NULL OR ord = 1) AS output_tokens,
                sum(cost_usd) FILTER (WHERE ord IS NULL OR ord = 1) AS cost_usd,
                max(updated_at) AS updated_at
           FROM (${arms.join('\n UNION ALL\n')}) AS src (model, provider, operation, status, environment, b, n, ord,
                 events, errors, input_tokens, output_tokens, cost_usd, updated_at)
          GROUP BY 1, 2, 3, 4, 5, 6
       ) per_bucket
      GROUP BY model, provider, operation, status, environment`,
    params,
  );
}

/**
 * Rebuilds one block in one REPEATABLE READ transaction: the markers it deletes are exactly those
 * visible in the snapshot it aggregated, so a change committed meanwhile keeps its own marker for the
 * next pass. A 15-minute block or an hour sums the tier rows of its 5-minute blocks that are clean in
 * that snapshot and reads the sources (minutes, raw events) of its dirty ones only (`blockParts`).
 * @returns false when another refresher holds the block's markers (it will do the work).
 */
export function refreshTierBlock(pool: pg.Pool, block: TierBlock): Promise<boolean> {
  return withTransaction(
    pool,
    async (client) => {
      const markers = await client.query<{ id: number }>(
        `SELECT id FROM analytics_dirty WHERE project_id = $1 AND grain = $2 AND start = $3 FOR UPDATE SKIP LOCKED`,
        [block.project_id, block.grain, block.start],
      );
      if (markers.rows.length === 0) return false;
      const block4 = [block.org_id, block.project_id, block.grain, block.start];
      const parts = await blockParts(client, block.project_id, block.grain, block.start);
      await client.query(
        'DELETE FROM dimension_rollups WHERE org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4',
        block4,
      );
      await insertDimensionRows(client, block4, parts);
      // The attribute rows, from the block's raw events in the same snapshot (a change committed later
      // leaves its marker, as for the rows above).
      await rebuildAttributeBlock(
        client,
        [block.org_id, block.project_id, block.grain, block.start],
        GRAIN_INTERVAL[block.grain],
        parts,
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
    const { rows } = await deps.pool.query<TierBlock>(
      `SELECT org_id, project_id, grain, start FROM (
         SELECT DISTINCT ON (project_id, grain, start) org_id, project_id, grain, start, id
           FROM analytics_dirty ORDER BY project_id, grain, start, id) b
        ORDER BY id LIMIT $1`,
      [deps.batchSize ?? 200],
    );
    if (rows.length === 0) return done;
    // Finer grains first within a batch (oldest marker first within a grain): a change marks its
    // 5-minute, 15-minute and hourly blocks together, and the coarser ones then sum the 5-minute rows
    // just rebuilt instead of reading their minutes and events.
    rows.sort((a, b) => GRAIN_MS[a.grain] - GRAIN_MS[b.grain]);
    let progressed = false;
    for (const block of rows) {
      if (performance.now() >= deadline) return done;
      try {
        if (await refreshTierBlock(deps.pool, block)) {
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
