// SQL of the per-minute rollups (event_rollups_1m): the loader records deltas of what it inserts, then folds them in.

/**
 * Rollup deltas of the rows inserted so far in this transaction, per minute × dimensions × latency
 * bucket. The real rollup rows are upserted once, at the end, in primary-key order: two loaders
 * then always lock rollup rows in the same order and cannot deadlock on them.
 */
export const CREATE_DELTA_SQL = `CREATE TEMP TABLE llmo_rollup_delta (
  org_id uuid, project_id uuid, minute timestamptz, model text, provider text, operation text, status text,
  environment text, bucket integer, events bigint, errors bigint, input_tokens bigint, output_tokens bigint,
  cache_read_input_tokens bigint, cache_creation_input_tokens bigint, cost_usd numeric, latency_count bigint
) ON COMMIT DROP`;

/**
 * Per-row contribution to the rollups, grouped by its first nine expressions (dimensions + latency
 * bucket); selected from the rows a load inserted (the stage, or INSERT … RETURNING).
 */
export const DELTA_SELECT = `org_id, project_id, date_bin('1 minute', ts, timestamptz '1970-01-01 00:00:00+00'), model,
    provider, operation, status, environment, llmo_latency_bucket(duration_ms),
    count(*), count(*) FILTER (WHERE status = 'error'),
    coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
    coalesce(sum(cache_read_input_tokens), 0), coalesce(sum(cache_creation_input_tokens), 0),
    coalesce(sum(cost_usd), 0), count(duration_ms)`;

/**
 * Folds the transaction's deltas into event_rollups_1m: one row per minute × dimensions with the
 * merged histogram, upserted in primary-key order. Returns `rollup_rows`.
 */
export const UPSERT_ROLLUPS_SQL = `
WITH per_bucket AS (
  SELECT org_id, project_id, minute, model, provider, operation, status, environment, bucket,
    sum(events) AS events, sum(errors) AS errors, sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens, sum(cache_read_input_tokens) AS cache_read_input_tokens,
    sum(cache_creation_input_tokens) AS cache_creation_input_tokens, sum(cost_usd) AS cost_usd,
    sum(latency_count) AS latency_count
  FROM llmo_rollup_delta
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
), per_minute AS (
  SELECT org_id, project_id, minute, model, provider, operation, status, environment,
    sum(events)::bigint AS events, sum(errors)::bigint AS errors,
    sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
    sum(cache_read_input_tokens)::bigint AS cache_read_input_tokens,
    sum(cache_creation_input_tokens)::bigint AS cache_creation_input_tokens,
    sum(cost_usd) AS cost_usd, sum(latency_count)::bigint AS latency_count,
    coalesce(jsonb_object_agg(bucket, latency_count) FILTER (WHERE bucket IS NOT NULL AND latency_count > 0), '{}'::jsonb)
      AS latency_hist
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
SELECT count(*)::integer AS rollup_rows FROM up`;
