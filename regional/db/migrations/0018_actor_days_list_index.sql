-- A users list over a range holding whole UTC days, when most of its users straddle the range's edges
-- (long-lived users), sums every user's rows of the range set-wise rather than probing each user: the
-- hourly rows come from actor_rollups_1h_list_idx (time first, migration 0006), and this index gives the
-- daily rows the same time-first access, so the read scales with users × days in the range rather than
-- with each user's whole history (the primary key is user first).

-- Up Migration

-- Index-only, like the hourly list index. Cost on the loader: one more index entry per daily-row upsert
-- (one per user and UTC day touched by an object; those updates were not HOT already, since the primary
-- key carries the counters). Built in the migration's transaction, which holds writes to the table (the
-- loader's folds) for as long as the build takes: one entry per user and day.
CREATE INDEX actor_rollups_1d_list_idx ON actor_rollups_1d (project_id, kind, day)
  INCLUDE (org_id, actor, events, errors, input_tokens, output_tokens, cost_usd, first_seen, last_seen);

-- Down Migration

DROP INDEX actor_rollups_1d_list_idx;
