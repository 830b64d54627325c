// Helpers for loader integration tests: tenants, rollup-vs-events consistency checks.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Tenant } from './envelope-fixtures.ts';

/** Creates an org and a project (system role) and returns envelope identity for them. */
export async function createTenant(system: pg.Pool): Promise<Tenant> {
  const orgId = randomUUID();
  const projectId = randomUUID();
  await system.query('INSERT INTO organizations (id, name) VALUES ($1, $2)', [
    orgId,
    `loader-test-${orgId.slice(0, 8)}`,
  ]);
  await system.query('INSERT INTO projects (id, org_id, name) VALUES ($1, $2, $3)', [
    projectId,
    orgId,
    'loader',
  ]);
  return { orgId, projectId, keyId: randomUUID() };
}

/**
 * Rollup rows that disagree with a fresh aggregation of telemetry_events for the project (per minute
 * and dimension: counts, errors, every token sum, cost, latency count and the histogram). Empty = consistent.
 */
export async function rollupMismatches(system: pg.Pool, projectId: string): Promise<unknown[]> {
  const { rows } = await system.query(
    `WITH truth AS (
       SELECT org_id, project_id, date_trunc('minute', ts, 'UTC') AS minute, model, provider, operation, status,
         environment, count(*)::bigint AS events, count(*) FILTER (WHERE status = 'error')::bigint AS errors,
         coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
         coalesce(sum(cache_read_input_tokens), 0)::bigint AS cache_read_input_tokens,
         coalesce(sum(cache_creation_input_tokens), 0)::bigint AS cache_creation_input_tokens,
         coalesce(sum(cost_usd), 0) AS cost_usd, count(duration_ms)::bigint AS latency_count
       FROM telemetry_events WHERE project_id = $1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ), rolled AS (
       SELECT org_id, project_id, minute, model, provider, operation, status, environment, events, errors,
         input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd, latency_count
       FROM event_rollups_1m WHERE project_id = $1
     )
     (SELECT 'missing_or_wrong_rollup' AS problem, * FROM (SELECT * FROM truth EXCEPT SELECT * FROM rolled) a)
     UNION ALL
     (SELECT 'extra_rollup' AS problem, * FROM (SELECT * FROM rolled EXCEPT SELECT * FROM truth) b)`,
    [projectId],
  );
  const { rows: histRows } = await system.query(
    `WITH truth AS (
       SELECT minute, model, provider, operation, status, environment, jsonb_object_agg(b, n) AS h FROM (
         SELECT date_trunc('minute', ts, 'UTC') AS minute, model, provider, operation, status, environment,
           llmo_latency_bucket(duration_ms) AS b, count(*) AS n
         FROM telemetry_events WHERE project_id = $1 AND duration_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7) x
       GROUP BY 1, 2, 3, 4, 5, 6
     )
     SELECT r.minute, r.model, r.status, r.latency_hist, t.h
     FROM event_rollups_1m r LEFT JOIN truth t USING (minute, model, provider, operation, status, environment)
     WHERE r.project_id = $1 AND r.latency_hist IS DISTINCT FROM coalesce(t.h, '{}'::jsonb)`,
    [projectId],
  );
  return [...rows, ...histRows.map((r) => ({ problem: 'histogram', ...r }))];
}

/** Totals over telemetry_events and over the rollups for one project. */
export async function projectTotals(
  system: pg.Pool,
  projectId: string,
): Promise<{ events: number; rolledEvents: number; cost: string; rolledCost: string }> {
  const { rows } = await system.query(
    `SELECT (SELECT count(*) FROM telemetry_events WHERE project_id = $1)::int AS events,
            (SELECT coalesce(sum(events), 0) FROM event_rollups_1m WHERE project_id = $1)::int AS "rolledEvents",
            (SELECT coalesce(sum(cost_usd), 0)::text FROM telemetry_events WHERE project_id = $1) AS cost,
            (SELECT coalesce(sum(cost_usd), 0)::text FROM event_rollups_1m WHERE project_id = $1) AS "rolledCost"`,
    [projectId],
  );
  return rows[0];
}

/** A fresh id for one test run, so event ids never collide across tests. */
export function runId(): string {
  return randomUUID().slice(0, 8);
}
