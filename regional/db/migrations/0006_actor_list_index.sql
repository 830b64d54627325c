-- The users / sessions lists and the user_id / session_id dropdowns read actor_rollups_1h from one index
-- alone (index-only scan): the range index now carries the columns those lists sum.

-- Up Migration

-- A 24 h users list aggregates users × 25 hourly rows (50,000 for 2,000 users). Fetching them from the
-- heap, whose rows also hold the latency histogram, took ~290 ms on the 1M-event benchmark data set;
-- from this index ~40 ms (benchmarks/results/api.md). The price is on the loader: a fold that adds to
-- an existing row changes indexed columns now, so it can no longer be a HOT update and writes index
-- entries (one row per actor and hour touched by an object).
CREATE INDEX actor_rollups_1h_list_idx ON actor_rollups_1h (project_id, kind, hour)
  INCLUDE (org_id, actor, events, errors, input_tokens, output_tokens, cost_usd, first_seen, last_seen);
DROP INDEX actor_rollups_1h_range_idx;

-- Down Migration

CREATE INDEX actor_rollups_1h_range_idx ON actor_rollups_1h (project_id, kind, hour);
DROP INDEX actor_rollups_1h_list_idx;
