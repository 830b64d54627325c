// Attribute tier: rebuilds one block's attribute_rollups / attribute_overflow rows from its raw events, and lists overflowed blocks.
import type pg from 'pg';
import type { TimeRange } from '../minutes.ts';
import { blockKey } from './plan.ts';

/** Most distinct values a key may have in one block and still be rolled up there. */
export const ATTRIBUTE_VALUE_CAP = 100;
/** Longest value (characters) rolled up; a longer one overflows its key for the block. */
export const ATTRIBUTE_VALUE_MAX_LENGTH = 200;

/**
 * Replaces the attribute rows of one block ([start, start + interval)) of one project with what its raw
 * events hold, in the caller's transaction. Each event contributes once per distinct key of its
 * `attributes` object, with the value `event -> 'attributes' ->> key` gives (so a tier row answers
 * exactly what the raw-event filter would; JSON null gives NULL and is skipped). A key with more than
 * ATTRIBUTE_VALUE_CAP values, or any value over ATTRIBUTE_VALUE_MAX_LENGTH characters, gets one
 * attribute_overflow row instead of value rows. Reads the block through the events' primary key.
 */
export async function rebuildAttributeBlock(
  client: pg.ClientBase,
  block: [orgId: string, projectId: string, grain: '5m' | '1h', start: Date],
  interval: string,
): Promise<void> {
  const where = 'org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4';
  await client.query(`DELETE FROM attribute_rollups WHERE ${where}`, block);
  await client.query(`DELETE FROM attribute_overflow WHERE ${where}`, block);
  await client.query(
    `WITH pairs AS MATERIALIZED (
       SELECT k.key, e.event -> 'attributes' ->> k.key AS value, e.model, e.provider, e.operation, e.status,
              e.environment, llmo_latency_bucket(e.duration_ms) AS b, count(*) AS events,
              count(*) FILTER (WHERE e.status = 'error') AS errors, coalesce(sum(e.input_tokens), 0) AS input_tokens,
              coalesce(sum(e.output_tokens), 0) AS output_tokens, coalesce(sum(e.cost_usd), 0) AS cost_usd,
              max(e.received_at) AS updated_at
         FROM telemetry_events e
         CROSS JOIN LATERAL (
           SELECT DISTINCT j.key FROM json_object_keys(
             CASE WHEN json_typeof(e.event -> 'attributes') = 'object' THEN e.event -> 'attributes' END) AS j(key)
         ) k
        WHERE e.project_id = $2 AND e.ts >= $4 AND e.ts < $4 + $5::interval AND e.org_id = $1
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ), keys AS (
       SELECT key, count(DISTINCT value) > $6 OR max(char_length(value)) > $7 AS over
         FROM pairs WHERE value IS NOT NULL GROUP BY key
     ), overflow AS (
       INSERT INTO attribute_overflow (org_id, project_id, grain, start, key)
       SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, key FROM keys WHERE over
     )
     INSERT INTO attribute_rollups (org_id, project_id, grain, start, key, value, model, provider, operation, status,
                                    environment, events, errors, input_tokens, output_tokens, cost_usd, latency_hist,
                                    source_updated_at)
     SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, p.key, p.value, model, provider, operation, status, environment,
            sum(events), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_usd),
            coalesce(jsonb_object_agg(b, events) FILTER (WHERE b IS NOT NULL), '{}'::jsonb), max(updated_at)
       FROM pairs p JOIN keys USING (key)
      WHERE NOT keys.over AND p.value IS NOT NULL
      GROUP BY p.key, p.value, model, provider, operation, status, environment`,
    [...block, interval, ATTRIBUTE_VALUE_CAP, ATTRIBUTE_VALUE_MAX_LENGTH],
  );
}

/**
 * Blocks near `range` in which `key` overflowed for any of `projects` (as `blockKey`s): their
 * attribute rows lack that key, so reads plan them like dirty blocks (raw events).
 */
export async function overflowBlocks(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  range: TimeRange,
  key: string,
): Promise<Set<string>> {
  const { rows } = await client.query<{ grain: '1h' | '5m'; start: Date }>(
    `SELECT DISTINCT grain, start FROM attribute_overflow
      WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND key = $3
        AND start > $4::timestamptz - interval '1 hour' AND start < $5`,
    [orgId, projects, key, range.from, range.to],
  );
  return new Set(rows.map((r) => blockKey(r.grain, r.start)));
}
