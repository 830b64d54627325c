// SQL of one object load: staging table, dead letters, deduplicating insert and the rollup upsert.
import { STAGE_COLUMNS } from './stage-row.ts';

/** Session-private staging table, dropped at commit (temp tables are not WAL-logged). */
export const CREATE_STAGE_SQL = `CREATE TEMP TABLE llmo_stage (${STAGE_COLUMNS.join(', ')}) ON COMMIT DROP`;

export const COPY_STAGE_SQL = 'COPY llmo_stage FROM STDIN';

/** $1 bucket, $2 object key. Redelivery inserts nothing twice thanks to (object_key, line_number). */
export const INSERT_DEAD_LETTERS_SQL = `
INSERT INTO dead_letters (org_id, project_id, bucket, object_key, line_number, reason, detail, line)
SELECT org_id, project_id, $1, $2, line_no, reason, detail, line
FROM llmo_stage WHERE reason IS NOT NULL
ON CONFLICT (object_key, line_number) DO NOTHING`;

/**
 * Inserts the good staged rows, skipping any (project_id, ts, event_id) already stored (redelivery,
 * replay, SDK resend, or a concurrent loader that committed first: ON CONFLICT waits for it), and
 * folds exactly the rows this statement inserted (RETURNING) into the per-minute rollups. Rollup rows
 * are upserted in primary-key order so concurrent loaders lock them in the same order.
 * Returns one row: inserted.
 */
export const INSERT_EVENTS_AND_ROLLUPS_SQL = `
WITH ins AS (
  INSERT INTO telemetry_events (project_id, ts, event_id, org_id, key_id, received_at, operation, provider,
    model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens,
    cache_creation_input_tokens, cost_usd, request_id, event)
  SELECT project_id, ts, event_id, org_id, key_id, received_at, operation, provider,
    model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens,
    cache_creation_input_tokens, cost_usd, request_id, event::json
  FROM llmo_stage WHERE reason IS NULL
  ON CONFLICT DO NOTHING
  RETURNING org_id, project_id, ts, model, provider, operation, status, environment, duration_ms,
    input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd
), per_bucket AS (
  SELECT org_id, project_id, date_trunc('minute', ts, 'UTC') AS minute, model, provider, operation, status,
    environment, llmo_latency_bucket(duration_ms) AS bucket,
    count(*) AS events,
    count(*) FILTER (WHERE status = 'error') AS errors,
    coalesce(sum(input_tokens), 0) AS input_tokens,
    coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(cache_read_input_tokens), 0) AS cache_read_input_tokens,
    coalesce(sum(cache_creation_input_tokens), 0) AS cache_creation_input_tokens,
    coalesce(sum(cost_usd), 0) AS cost_usd,
    count(duration_ms) AS latency_count
  FROM ins
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
), per_minute AS (
  SELECT org_id, project_id, minute, model, provider, operation, status, environment,
    sum(events)::bigint AS events, sum(errors)::bigint AS errors,
    sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
    sum(cache_read_input_tokens)::bigint AS cache_read_input_tokens,
    sum(cache_creation_input_tokens)::bigint AS cache_creation_input_tokens,
    sum(cost_usd) AS cost_usd, sum(latency_count)::bigint AS latency_count,
    coalesce(jsonb_object_agg(bucket, latency_count) FILTER (WHERE bucket IS NOT NULL), '{}'::jsonb) AS latency_hist
  FROM per_bucket
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
), up AS (
  INSERT INTO event_rollups_1m AS r (org_id, project_id, minute, model, provider, operation, status, environment,
    events, errors, input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd,
    latency_count, latency_hist)
  SELECT * FROM per_minute
  ORDER BY org_id, project_id, minute, model, provider, operation, status, environment
  ON CONFLICT (org_id, project_id, minute, model, provider, operation, status, environment) DO UPDATE SET
    events = r.events + excluded.events,
    errors = r.errors + excluded.errors,
    input_tokens = r.input_tokens + excluded.input_tokens,
    output_tokens = r.output_tokens + excluded.output_tokens,
    cache_read_input_tokens = r.cache_read_input_tokens + excluded.cache_read_input_tokens,
    cache_creation_input_tokens = r.cache_creation_input_tokens + excluded.cache_creation_input_tokens,
    cost_usd = r.cost_usd + excluded.cost_usd,
    latency_count = r.latency_count + excluded.latency_count,
    latency_hist = llmo_hist_merge(r.latency_hist, excluded.latency_hist),
    updated_at = clock_timestamp()
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::integer AS inserted, (SELECT count(*) FROM up)::integer AS rollup_rows`;

/** Partition days as epoch-day numbers (avoids pg's local-time Date parsing of \`date\`). */
export const PARTITION_DAYS_SQL =
  "SELECT (day - date '1970-01-01')::integer AS d FROM llmo_telemetry_partition_days() AS day";
