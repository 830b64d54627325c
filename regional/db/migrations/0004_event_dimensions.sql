-- Event dimensions the dashboard filters on (trace, user, session, error type) as columns, with the indexes
-- behind event detail, trace view, per-user / per-session filters and error-type reads.

-- Up Migration

-- Extracted by the loader from the event (the full event stays in `event`); NULL when the SDK sent none.
ALTER TABLE telemetry_events
  ADD COLUMN trace_id    text,
  ADD COLUMN user_id     text,
  ADD COLUMN session_id  text,
  ADD COLUMN error_type  text;

-- Rows loaded before this migration: fill the columns from the stored event. (Local and test databases
-- hold few rows here; a large production table would be backfilled in batches outside the migration.)
UPDATE telemetry_events
   SET trace_id = event ->> 'trace_id',
       user_id = event ->> 'user_id',
       session_id = event ->> 'session_id',
       error_type = event -> 'error' ->> 'type'
 WHERE (event ->> 'trace_id') IS NOT NULL OR (event ->> 'user_id') IS NOT NULL
    OR (event ->> 'session_id') IS NOT NULL OR (event -> 'error' ->> 'type') IS NOT NULL;

-- Event detail: GET /v1/analytics/events/{event_id} has no timestamp, so one probe per daily partition.
CREATE INDEX telemetry_events_event_id_idx ON telemetry_events (project_id, event_id);
-- Trace view and the trace_id filter.
CREATE INDEX telemetry_events_trace_idx ON telemetry_events (project_id, trace_id, ts) WHERE trace_id IS NOT NULL;
-- user_id / session_id filters: one user's or session's events in a range without scanning the range.
CREATE INDEX telemetry_events_user_idx ON telemetry_events (project_id, user_id, ts) WHERE user_id IS NOT NULL;
CREATE INDEX telemetry_events_session_idx ON telemetry_events (project_id, session_id, ts) WHERE session_id IS NOT NULL;
-- error_type filters and breakdowns read only the failed events of a range (a few percent of it).
CREATE INDEX telemetry_events_errors_idx ON telemetry_events (project_id, ts) WHERE status = 'error';

-- Down Migration

DROP INDEX telemetry_events_errors_idx, telemetry_events_session_idx, telemetry_events_user_idx,
  telemetry_events_trace_idx, telemetry_events_event_id_idx;
ALTER TABLE telemetry_events DROP COLUMN error_type, DROP COLUMN session_id, DROP COLUMN user_id,
  DROP COLUMN trace_id;
