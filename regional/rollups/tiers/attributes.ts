// Attribute tier: rebuilds one block's attribute_rollups / attribute_overflow rows from its raw events, and lists overflowed blocks.
import type pg from 'pg';
import type { TimeRange } from '../minutes.ts';
import { blockKey } from './plan.ts';

/** Most distinct values a key may have in one block and still be rolled up there. */
export const ATTRIBUTE_VALUE_CAP = 100;
/** Longest value (characters) rolled up; a longer one overflows its key for the block. */
export const ATTRIBUTE_VALUE_MAX_LENGTH = 200;
/**
 * Most key × value pairs rolled up in one block (bounds the rows a block can hold whatever number of
 * keys events carry): keys are taken fewest values first (then by name) while the pairs fit; the rest
 * overflow.
 */
export const ATTRIBUTE_PAIR_CAP = 500;

const FIVE_MIN = 5 * 60_000;

/**
 * Replaces the attribute rows of one block ([start, start + interval)) of one project with what its raw
 * events hold, in the caller's REPEATABLE READ transaction. Each event contributes once per distinct
 * key of its `attributes` object, with the value `event -> 'attributes' ->> key` gives (so a tier row
 * answers exactly what the raw-event filter would; JSON null gives NULL and is skipped). A key with
 * more than ATTRIBUTE_VALUE_CAP values, or any value over ATTRIBUTE_VALUE_MAX_LENGTH characters, gets
 * one attribute_overflow row instead of value rows, and so does every key past ATTRIBUTE_PAIR_CAP
 * pairs. attribute_model_rollups gets the same rows summed per
 * model.
 *
 * An hour adds up the rows of its 5-minute blocks that are clean in this snapshot (no marker: their
 * rows hold every change this snapshot sees; a key that overflowed in one of them overflows the hour)
 * and reads raw events only for its dirty ones, so rebuilding the hour being written costs a few
 * minutes of events, not the hour's. Raw events are read through their primary key, by time span.
 */
export async function rebuildAttributeBlock(
  client: pg.ClientBase,
  block: [orgId: string, projectId: string, grain: '5m' | '1h', start: Date],
  interval: string,
): Promise<void> {
  const [, projectId, grain, start] = block;
  const where = 'org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4';
  for (const table of ['attribute_rollups', 'attribute_model_rollups', 'attribute_overflow']) {
    await client.query(`DELETE FROM ${table} WHERE ${where}`, block);
  }
  let clean: Date[] = [];
  let raw: Date[] = [start];
  if (grain === '1h') {
    const { rows } = await client.query<{ start: Date }>(
      `SELECT DISTINCT start FROM analytics_dirty
        WHERE project_id = $1 AND grain = '5m' AND start >= $2 AND start < $2::timestamptz + interval '1 hour'`,
      [projectId, start],
    );
    const dirty = new Set(rows.map((r) => r.start.getTime()));
    const fives = Array.from({ length: 12 }, (_, i) => new Date(start.getTime() + i * FIVE_MIN));
    clean = fives.filter((f) => !dirty.has(f.getTime()));
    raw = fives.filter((f) => dirty.has(f.getTime()));
  }
  const params: unknown[] = [
    ...block,
    interval,
    ATTRIBUTE_VALUE_CAP,
    ATTRIBUTE_VALUE_MAX_LENGTH,
    clean,
    ATTRIBUTE_PAIR_CAP,
  ];
  // Raw events of whole 5-minute blocks: the block itself, or the hour's dirty ones.
  const spans = raw.map((from) => {
    params.push(from, new Date(from.getTime() + FIVE_MIN));
    return `(ts >= $${params.length - 1}::timestamptz AND ts < $${params.length}::timestamptz)`;
  });
  await client.query(
    `WITH raw AS MATERIALIZED (
       SELECT k.key, k.value, e.model, e.provider, e.operation, e.status, e.environment,
              llmo_latency_bucket(e.duration_ms) AS b, count(*) AS events,
              count(*) FILTER (WHERE e.status = 'error') AS errors, coalesce(sum(e.input_tokens), 0) AS input_tokens,
              coalesce(sum(e.output_tokens), 0) AS output_tokens, coalesce(sum(e.cost_usd), 0) AS cost_usd,
              max(e.received_at) AS updated_at
         FROM (
           -- OFFSET 0 keeps the attributes extracted once per event (one parse of the stored JSON).
           SELECT model, provider, operation, status, environment, duration_ms, input_tokens, output_tokens, cost_usd,
                  received_at, event -> 'attributes' AS a
             FROM telemetry_events
            WHERE project_id = $2 AND ts >= $4 AND ts < $4 + $5::interval AND org_id = $1
              AND (${spans.length > 0 ? spans.join(' OR ') : 'false'})
           OFFSET 0
         ) e
         -- Each key once with the value ->> gives: of a repeated key, the last one.
         CROSS JOIN LATERAL (
           SELECT DISTINCT ON (j.key) j.key, j.value
             FROM json_each_text(CASE WHEN json_typeof(e.a) = 'object' THEN e.a END) WITH ORDINALITY AS j(key, value, n)
            ORDER BY j.key, j.n DESC
         ) k
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ), parts AS MATERIALIZED (
       -- One row per group × latency bucket: the raw groups as they are, and each clean 5-minute row
       -- expanded into its buckets with its counters on the first (a row without latencies: one NULL bucket).
       SELECT key, value, model, provider, operation, status, environment, b::text AS b, events AS n, events, errors,
              input_tokens, output_tokens, cost_usd, updated_at
         FROM raw WHERE value IS NOT NULL
       UNION ALL
       SELECT r.key, r.value, r.model, r.provider, r.operation, r.status, r.environment, h.b, h.n::bigint,
              CASE WHEN h.ord IS NULL OR h.ord = 1 THEN r.events ELSE 0 END,
              CASE WHEN h.ord IS NULL OR h.ord = 1 THEN r.errors ELSE 0 END,
              CASE WHEN h.ord IS NULL OR h.ord = 1 THEN r.input_tokens ELSE 0 END,
              CASE WHEN h.ord IS NULL OR h.ord = 1 THEN r.output_tokens ELSE 0 END,
              CASE WHEN h.ord IS NULL OR h.ord = 1 THEN r.cost_usd ELSE 0 END, r.source_updated_at
         FROM attribute_rollups r
         LEFT JOIN LATERAL jsonb_each_text(r.latency_hist) WITH ORDINALITY AS h(b, n, ord) ON true
        WHERE r.org_id = $1 AND r.project_id = $2 AND r.grain = '5m' AND r.start = ANY($8::timestamptz[])
     ), over AS MATERIALIZED (
       SELECT key FROM attribute_overflow
        WHERE org_id = $1 AND project_id = $2 AND grain = '5m' AND start = ANY($8::timestamptz[])
       UNION
       SELECT key FROM (
         SELECT key, count(DISTINCT value) AS n, max(char_length(value)) AS len,
                sum(count(DISTINCT value)) OVER (ORDER BY count(DISTINCT value), key COLLATE "C") AS upto
           FROM parts GROUP BY key
       ) k
        WHERE n > $6 OR len > $7 OR upto > $9
     ), buckets AS MATERIALIZED (
       SELECT key, value, model, provider, operation, status, environment, b, sum(n) AS n, sum(events) AS events,
              sum(errors) AS errors, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
              sum(cost_usd) AS cost_usd, max(updated_at) AS updated_at
         FROM parts WHERE key NOT IN (SELECT key FROM over)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ), overflow AS (
       INSERT INTO attribute_overflow (org_id, project_id, grain, start, key)
       SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, key FROM over
     ), models AS (
       INSERT INTO attribute_model_rollups (org_id, project_id, grain, start, key, value, model, events, errors,
                                            input_tokens, output_tokens, cost_usd, latency_hist, source_updated_at)
       SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, key, value, model, sum(events), sum(errors),
              sum(input_tokens), sum(output_tokens), sum(cost_usd),
              coalesce(jsonb_object_agg(b, n) FILTER (WHERE b IS NOT NULL), '{}'::jsonb), max(updated_at)
         FROM (SELECT key, value, model, b, sum(n) AS n, sum(events) AS events, sum(errors) AS errors,
                      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
                      max(updated_at) AS updated_at
                 FROM buckets GROUP BY 1, 2, 3, 4) m
        GROUP BY key, value, model
     )
     INSERT INTO attribute_rollups (org_id, project_id, grain, start, key, value, model, provider, operation, status,
                                    environment, events, errors, input_tokens, output_tokens, cost_usd, latency_hist,
                                    source_updated_at)
     SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, key, value, model, provider, operation, status, environment,
            sum(events), sum(errors), sum(input_tokens), sum(output_tokens), sum(cost_usd),
            coalesce(jsonb_object_agg(b, n) FILTER (WHERE b IS NOT NULL), '{}'::jsonb), max(updated_at)
       FROM buckets
      GROUP BY key, value, model, provider, operation, status, environment`,
    params,
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
