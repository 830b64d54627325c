-- Daily totals per user (actor_rollups_1d), kept by the same fold as actor_spans and actor_rollups_1h, so
-- the users list over a multi-day range reads one row per user and whole UTC day (plus the ragged hours at
-- the range's ends) instead of 24 hourly rows per day: both for the totals of users that straddle a range
-- edge and for the page's latency histograms. Users only: sessions are short-lived, so a session list's
-- actors nearly all lie inside a range and take their actor_spans row, and the few at its edges span an
-- hour or two; daily session rows would cost the loader an upsert per session for nothing.

-- Up Migration

-- One row per (project, user, UTC day): counters equal count()/sum() over the day's events of that user,
-- latency_hist their log-bucket histogram (the same format as actor_rollups_1h), first_seen / last_seen
-- their oldest and newest ts. kind is always 'user'; it is kept so the rows read like the hourly ones.
-- The key is laid out for the reader's probe (one user's days in a range) and carries the counters, so
-- that probe is index-only and the table needs no second index (one index entry per fold upsert).
CREATE TABLE actor_rollups_1d (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  kind           text NOT NULL CHECK (kind = 'user'),
  day            timestamptz NOT NULL,
  actor          text NOT NULL,
  events         bigint NOT NULL,
  errors         bigint NOT NULL,
  input_tokens   bigint NOT NULL,
  output_tokens  bigint NOT NULL,
  cost_usd       numeric NOT NULL,
  latency_hist   jsonb NOT NULL,
  first_seen     timestamptz NOT NULL,
  last_seen      timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, kind, actor, day)
    INCLUDE (events, errors, input_tokens, output_tokens, cost_usd, first_seen, last_seen)
);

ALTER TABLE actor_rollups_1d ENABLE ROW LEVEL SECURITY;
ALTER TABLE actor_rollups_1d FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON actor_rollups_1d TO llmo_app USING (org_id = app_current_org());
CREATE POLICY system ON actor_rollups_1d TO llmo_system USING (true) WITH CHECK (true);
GRANT SELECT ON actor_rollups_1d TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON actor_rollups_1d TO llmo_system;

-- The users' deltas of the session's pending llmo_actor_delta rows (hour, bucket) summed per UTC day and
-- upserted in key order; the histogram is built per bucket exactly like the hourly fold's.
CREATE FUNCTION llmo_fold_actor_days() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  WITH per_bucket AS (
    SELECT org_id, project_id, kind, date_bin('1 day', hour, timestamptz 'epoch') AS day, actor, bucket,
      sum(events) AS events, sum(errors) AS errors, sum(input_tokens) AS input_tokens,
      sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd, sum(latency_count) AS latency_count,
      min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM llmo_actor_delta WHERE kind = 'user' GROUP BY 1, 2, 3, 4, 5, 6
  )
  INSERT INTO actor_rollups_1d AS r
  SELECT org_id, project_id, kind, day, actor, sum(events)::bigint, sum(errors)::bigint,
    sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(cost_usd),
    coalesce(jsonb_object_agg(bucket, latency_count) FILTER (WHERE bucket IS NOT NULL AND latency_count > 0),
             '{}'::jsonb),
    min(first_seen), max(last_seen)
  FROM per_bucket GROUP BY 1, 2, 3, 4, 5 ORDER BY org_id, project_id, kind, actor, day
  ON CONFLICT (org_id, project_id, kind, actor, day) DO UPDATE SET
    events = r.events + excluded.events,
    errors = r.errors + excluded.errors,
    input_tokens = r.input_tokens + excluded.input_tokens,
    output_tokens = r.output_tokens + excluded.output_tokens,
    cost_usd = r.cost_usd + excluded.cost_usd,
    latency_hist = llmo_hist_merge(r.latency_hist, excluded.latency_hist),
    first_seen = least(r.first_seen, excluded.first_seen),
    last_seen = greatest(r.last_seen, excluded.last_seen);
END $$;

-- The fold the loader and the trigger call: spans, then days, then hours (which empties the deltas).
-- Every writer takes the three tables in this order, each in key order, so two writers never wait on
-- each other in a cycle (retention locks actor_spans first, which holds folds back before all three).
CREATE OR REPLACE FUNCTION llmo_fold_actor_delta() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM llmo_fold_actor_spans();
  PERFORM llmo_fold_actor_days();
  RETURN llmo_fold_actor_hours();
END $$;

-- Users' days stored before this migration, from their hourly rows (a day's histogram adds its hours'
-- counts per bucket).
INSERT INTO actor_rollups_1d
SELECT org_id, project_id, kind, date_bin('1 day', hour, timestamptz 'epoch'), actor, sum(events)::bigint,
  sum(errors)::bigint, sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(cost_usd),
  (SELECT coalesce(jsonb_object_agg(b.key, b.n), '{}'::jsonb)
     FROM (SELECT j.key, sum(j.value::bigint) AS n
             FROM unnest(array_agg(latency_hist)) AS u(hist) CROSS JOIN LATERAL jsonb_each_text(u.hist) AS j
            GROUP BY j.key) b),
  min(first_seen), max(last_seen)
FROM actor_rollups_1h WHERE kind = 'user'
GROUP BY org_id, project_id, kind, actor, date_bin('1 day', hour, timestamptz 'epoch');

-- Down Migration

CREATE OR REPLACE FUNCTION llmo_fold_actor_delta() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM llmo_fold_actor_spans();
  RETURN llmo_fold_actor_hours();
END $$;
DROP FUNCTION llmo_fold_actor_days();
DROP TABLE actor_rollups_1d;
