// SQL of one object load: staging tables, dead letters, deduplicating insert and the rollup upsert.
import { STAGE_COLUMNS } from './stage-row.ts';

/** Session-private staging table, dropped at commit (temp tables are not WAL-logged). */
export const CREATE_STAGE_SQL = `CREATE TEMP TABLE llmo_stage (${STAGE_COLUMNS.join(', ')}) ON COMMIT DROP`;

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

export const COPY_STAGE_SQL = 'COPY llmo_stage FROM STDIN';

/** Empties the staging table between chunks of one object. */
export const TRUNCATE_STAGE_SQL = 'TRUNCATE llmo_stage';

/** $1 bucket, $2 object key. Redelivery inserts nothing twice thanks to (object_key, line_number). */
export const INSERT_DEAD_LETTERS_SQL = `
INSERT INTO dead_letters (org_id, project_id, bucket, object_key, line_number, reason, detail, line)
SELECT org_id, project_id, $1, $2, line_no, reason, detail, line
FROM llmo_stage WHERE reason IS NOT NULL
ON CONFLICT (object_key, line_number) DO NOTHING`;

const EVENT_COLUMNS = `project_id, ts, event_id, org_id, key_id, received_at, operation, provider,
    model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens,
    cache_creation_input_tokens, cost_usd, request_id, event`;

/** Per-row contribution to the rollups, grouped by its first nine expressions (dimensions + bucket). */
const DELTA_SELECT = `org_id, project_id, date_bin('1 minute', ts, timestamptz '1970-01-01 00:00:00+00'), model,
    provider, operation, status, environment, llmo_latency_bucket(duration_ms),
    count(*), count(*) FILTER (WHERE status = 'error'),
    coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
    coalesce(sum(cache_read_input_tokens), 0), coalesce(sum(cache_creation_input_tokens), 0),
    coalesce(sum(cost_usd), 0), count(duration_ms)`;

/**
 * Fast path, run under a savepoint: inserts the good staged rows without RETURNING. If the row count
 * equals the number of good staged rows, this statement inserted every one of them, so the deltas come
 * from the staging table itself (DELTAS_FROM_STAGE_SQL); if it is 0 there is nothing to add; otherwise
 * the caller rolls back to the savepoint and runs INSERT_EVENTS_SQL, which knows exactly which rows
 * went in. Saves materialising RETURNING rows in the common cases (first delivery, redelivery).
 */
export const INSERT_EVENTS_PLAIN_SQL = `
INSERT INTO telemetry_events (${EVENT_COLUMNS})
SELECT ${EVENT_COLUMNS.replace(/event$/, 'event::json')} FROM llmo_stage WHERE reason IS NULL
ON CONFLICT DO NOTHING`;

/** Rollup deltas of the whole staged chunk (valid only when all its good rows were just inserted). */
export const DELTAS_FROM_STAGE_SQL = `
INSERT INTO llmo_rollup_delta
SELECT ${DELTA_SELECT} FROM llmo_stage WHERE reason IS NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`;

/**
 * Inserts the good staged rows, skipping any (project_id, ts, event_id) already stored (redelivery,
 * replay, SDK resend, or a concurrent loader that committed first: ON CONFLICT waits for it), and
 * records exactly the rows this statement inserted (RETURNING) as rollup deltas. Returns `inserted`.
 */
export const INSERT_EVENTS_SQL = `
WITH ins AS (
  INSERT INTO telemetry_events (${EVENT_COLUMNS})
  SELECT ${EVENT_COLUMNS.replace(/event$/, 'event::json')} FROM llmo_stage WHERE reason IS NULL
  ON CONFLICT DO NOTHING
  RETURNING org_id, project_id, ts, model, provider, operation, status, environment, duration_ms,
    input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd
), delta AS (
  INSERT INTO llmo_rollup_delta
  SELECT ${DELTA_SELECT} FROM ins
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  RETURNING events
)
SELECT coalesce(sum(events), 0)::integer AS inserted FROM delta`;

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

/** Partition days as epoch-day numbers (avoids pg's local-time Date parsing of \`date\`). */
export const PARTITION_DAYS_SQL =
  "SELECT (day - date '1970-01-01')::integer AS d FROM llmo_telemetry_partition_days() AS day";
