-- Breakdowns by error type read the failed events of a range from their partial index alone: the
-- index now carries the columns those aggregates sum (index-only scan, no heap row per failed event).

-- Up Migration

-- On the 10M-event benchmark data set (about 30,000 failed events in 24 h) the old index fetched one
-- heap page per failed event: ~700 ms per breakdown warm, 1.3 s cold. Index-only, the same scan with
-- the latency buckets takes ~140 ms (benchmarks/results/api-explore.md). Failed events are a few
-- percent of all, so the wider index costs little to keep.
CREATE INDEX telemetry_events_errors_cov_idx ON telemetry_events (project_id, ts)
  INCLUDE (org_id, status, error_type, duration_ms, input_tokens, output_tokens, cost_usd, received_at)
  WHERE status = 'error';
DROP INDEX telemetry_events_errors_idx;

-- Down Migration

CREATE INDEX telemetry_events_errors_idx ON telemetry_events (project_id, ts) WHERE status = 'error';
DROP INDEX telemetry_events_errors_cov_idx;
