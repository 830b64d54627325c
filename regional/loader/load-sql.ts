// SQL of one object load: staging table, dead letters, deduplicating insert (rollup SQL: regional/rollups/minute-sql.ts).
import { DELTA_SELECT } from '../rollups/minute-sql.ts';
import { STAGE_COLUMNS } from './stage-row.ts';

/** Session-private staging table, dropped at commit (temp tables are not WAL-logged). */
export const CREATE_STAGE_SQL = `CREATE TEMP TABLE llmo_stage (${STAGE_COLUMNS.join(', ')}) ON COMMIT DROP`;

export const COPY_STAGE_SQL = 'COPY llmo_stage FROM STDIN';

/** Empties the staging table between chunks of one object. */
export const TRUNCATE_STAGE_SQL = 'TRUNCATE llmo_stage';

/** $1 bucket, $2 object key. Redelivery inserts nothing twice thanks to (object_key, line_number). */
export const INSERT_DEAD_LETTERS_SQL = `
INSERT INTO dead_letters (org_id, project_id, bucket, object_key, line_number, reason, detail, line)
SELECT org_id, project_id, $1, $2, line_no, reason, detail, line
FROM llmo_stage WHERE reason IS NOT NULL
ON CONFLICT (object_key, line_number) DO NOTHING`;

/**
 * One line the database refused, with its error ($1 org, $2 project, $3 bucket, $4 key, $5 line number,
 * $6 reason, $7 detail, $8 line). Unique on (object_key, line_number): redelivery adds nothing twice.
 */
export const INSERT_QUARANTINE_SQL = `
INSERT INTO dead_letters (org_id, project_id, bucket, object_key, line_number, reason, detail, line)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (object_key, line_number) DO NOTHING`;

const EVENT_COLUMNS = `project_id, ts, event_id, org_id, key_id, received_at, operation, provider,
    model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens,
    cache_creation_input_tokens, cost_usd, request_id, trace_id, user_id, session_id, error_type, event`;

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

/** Partition days as epoch-day numbers (avoids pg's local-time Date parsing of \`date\`). */
export const PARTITION_DAYS_SQL =
  "SELECT (day - date '1970-01-01')::integer AS d FROM llmo_telemetry_partition_days() AS day";

/** Newest `received_at` per API key among the object's good lines, gathered chunk by chunk. */
export const CREATE_KEY_USE_SQL = `CREATE TEMP TABLE llmo_key_use (key_id uuid, received_at timestamptz) ON COMMIT DROP`;

/** Adds the staged chunk's newest arrival per key (one row per key per chunk). */
export const RECORD_KEY_USE_SQL = `
INSERT INTO llmo_key_use
SELECT key_id, max(received_at) FROM llmo_stage WHERE reason IS NULL GROUP BY key_id`;

/** The object's newest arrival per key, read before COMMIT (the temp table goes with it). */
export const KEY_USE_SQL = `
SELECT key_id, max(received_at) AS last_used_at FROM llmo_key_use GROUP BY key_id ORDER BY key_id`;

/**
 * $1 key id, $2 newest arrival. Run after COMMIT, one statement per key: it never holds a key row
 * lock during the load, only ever moves forward, and writes nothing when the value is not newer.
 */
export const TOUCH_KEY_SQL = `
UPDATE api_keys SET last_used_at = $2
 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`;

/**
 * Per-user / per-session hourly totals (migration 0005): the insert trigger on telemetry_events puts
 * the deltas of exactly the inserted rows into this transaction's temp table; the loader makes the
 * table first and folds it once, in key order, before COMMIT (as with the per-minute rollups).
 */
export const BEGIN_ACTOR_DELTA_SQL = 'SELECT llmo_actor_delta_begin()';

/** Folds the actor deltas into actor_spans, the users' actor_rollups_1d and actor_rollups_1h (migrations 0005, 0008, 0013). */
export const FOLD_ACTOR_DELTA_SQL = 'SELECT llmo_fold_actor_delta()';
