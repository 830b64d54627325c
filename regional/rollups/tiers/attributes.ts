// Attribute tier: rebuilds one block's attribute_rollups / attribute_overflow rows from its raw events, and lists overflowed blocks.
import type pg from 'pg';
import { histogramTextAgg } from '../latency-histogram.ts';
import type { TimeRange } from '../minutes.ts';
import type { BlockParts } from './parts.ts';
import { blockKey, GRAIN_MS, type TierGrain } from './plan.ts';

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

const FIVE_MIN = GRAIN_MS['5m'];

/**
 * The text columns a block's rows are grouped and joined on, compared byte-wise (COLLATE "C"): cheaper
 * than a locale's comparison, and the same equality (every collation here is deterministic).
 */
const C = ['key', 'value', 'model', 'provider', 'operation', 'status', 'environment'];

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
 * A 15-minute block or an hour adds up the rows of its 5-minute blocks that are clean in this snapshot
 * (`parts.clean`: a key that overflowed in one of them overflows the block too) and reads raw events
 * only for its dirty ones, so rebuilding the block being written costs a few minutes of events, not
 * the block's. The overflow rules are then checked on the union of the clean rows' values and the raw
 * events' values, which are all of the block's values for every key not already overflowed: the block
 * overflows whenever its own events would make it. Raw events are read through their primary key, by
 * time span.
 */
export async function rebuildAttributeBlock(
  client: pg.ClientBase,
  block: [orgId: string, projectId: string, grain: TierGrain, start: Date],
  interval: string,
  parts: BlockParts,
): Promise<void> {
  const where = 'org_id = $1 AND project_id = $2 AND grain = $3 AND start = $4';
  for (const table of ['attribute_rollups', 'attribute_model_rollups', 'attribute_overflow']) {
    await client.query(`DELETE FROM ${table} WHERE ${where}`, block);
  }
  const { clean, dirty: raw } = parts;
  const params: unknown[] = [
    ...block,
    interval,
    ATTRIBUTE_VALUE_CAP,
    ATTRIBUTE_VALUE_MAX_LENGTH,
    clean,
    ATTRIBUTE_PAIR_CAP,
  ];
  // Raw events of whole 5-minute blocks: the block itself, or the coarser block's dirty ones.
  const spans = raw.map((from) => {
    params.push(from, new Date(from.getTime() + FIVE_MIN));
    return `(ts >= $${params.length - 1}::timestamptz AND ts < $${params.length}::timestamptz)`;
  });
  await client.query(
    `WITH raw AS MATERIALIZED (
       SELECT ${C.map((col) => `${col === 'key' || col === 'value' ? 'k' : 'e'}.${col} COLLATE "C" AS ${col}`).join(', ')},
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
     ), rows5 AS MATERIALIZED (
       SELECT ${C.map((col) => `${col} COLLATE "C" AS ${col}`).join(', ')}, events, errors, input_tokens, output_tokens,
              cost_usd, latency_hist, source_updated_at AS updated_at
         FROM attribute_rollups
        WHERE org_id = $1 AND project_id = $2 AND grain = '5m' AND start = ANY($8::timestamptz[])
     ), over AS MATERIALIZED (
       SELECT key FROM attribute_overflow
        WHERE org_id = $1 AND project_id = $2 AND grain = '5m' AND start = ANY($8::timestamptz[])
       UNION
       SELECT key FROM (
         SELECT key, count(DISTINCT value) AS n, max(char_length(value)) AS len,
                sum(count(DISTINCT value)) OVER (ORDER BY count(DISTINCT value), key) AS upto
           FROM (SELECT key, value FROM raw WHERE value IS NOT NULL UNION ALL SELECT key, value FROM rows5) kv
          GROUP BY key
       ) k
        WHERE n > $6 OR len > $7 OR upto > $9
     ), groups AS MATERIALIZED (
       -- One row per key × value × dimensions kept, its counters summed, numbered (g), and numbered per
       -- key × value × model (mg), so the histograms are merged on two integers and the bucket.
       SELECT row_number() OVER () AS g, dense_rank() OVER (ORDER BY key, value, model) AS mg, t.*
         FROM (
           SELECT key, value, model, provider, operation, status, environment, sum(events) AS events, sum(errors) AS errors,
                  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
                  max(updated_at) AS updated_at
             FROM (SELECT key, value, model, provider, operation, status, environment, events, errors, input_tokens, output_tokens,
                          cost_usd, updated_at
                     FROM raw WHERE value IS NOT NULL
                   UNION ALL
                   SELECT key, value, model, provider, operation, status, environment, events, errors, input_tokens, output_tokens,
                          cost_usd, updated_at
                     FROM rows5) a
            WHERE key NOT IN (SELECT key FROM over)
            GROUP BY 1, 2, 3, 4, 5, 6, 7
         ) t
     ), hist AS MATERIALIZED (
       -- Per group × latency bucket: the raw groups' counts and the clean 5-minute rows' buckets.
       SELECT g, mg, b, sum(n) AS n
         FROM (SELECT gr.g, gr.mg, r.b::text AS b, r.events AS n
                 FROM raw r JOIN groups gr USING (key, value, model, provider, operation, status, environment)
                WHERE r.b IS NOT NULL
               UNION ALL
               SELECT gr.g, gr.mg, h.key, h.value::bigint
                 FROM rows5 r JOIN groups gr USING (key, value, model, provider, operation, status, environment)
                 CROSS JOIN LATERAL json_each_text(r.latency_hist::json) AS h) x
        GROUP BY 1, 2, 3
     ), overflow AS (
       INSERT INTO attribute_overflow (org_id, project_id, grain, start, key)
       SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, key FROM over
     ), models AS (
       INSERT INTO attribute_model_rollups (org_id, project_id, grain, start, key, value, model, events, errors,
                                            input_tokens, output_tokens, cost_usd, latency_hist, source_updated_at)
       SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, m.key, m.value, m.model, m.events, m.errors, m.input_tokens,
              m.output_tokens, m.cost_usd, coalesce(mh.latency_hist, '{}'), m.updated_at
         FROM (SELECT mg, min(key) AS key, min(value) AS value, min(model) AS model, sum(events) AS events,
                      sum(errors) AS errors, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                      sum(cost_usd) AS cost_usd, max(updated_at) AS updated_at
                 FROM groups GROUP BY mg) m
         LEFT JOIN (SELECT mg, ${histogramTextAgg('b', 'n')} AS latency_hist
                      FROM (SELECT mg, b, sum(n) AS n FROM hist GROUP BY 1, 2) y GROUP BY mg) mh USING (mg)
     )
     INSERT INTO attribute_rollups (org_id, project_id, grain, start, key, value, model, provider, operation, status,
                                    environment, events, errors, input_tokens, output_tokens, cost_usd, latency_hist,
                                    source_updated_at)
     SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, gr.key, gr.value, gr.model, gr.provider, gr.operation, gr.status,
            gr.environment, gr.events, gr.errors, gr.input_tokens, gr.output_tokens, gr.cost_usd,
            coalesce(gh.latency_hist, '{}'), gr.updated_at
       FROM groups gr
       LEFT JOIN (SELECT g, ${histogramTextAgg('b', 'n')} AS latency_hist FROM hist GROUP BY g) gh USING (g)`,
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
  const { rows } = await client.query<{ grain: TierGrain; start: Date }>(
    `SELECT DISTINCT grain, start FROM attribute_overflow
      WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND key = $3
        AND start > $4::timestamptz - interval '1 hour' AND start < $5`,
    [orgId, projects, key, range.from, range.to],
  );
  return new Set(rows.map((r) => blockKey(r.grain, r.start)));
}
