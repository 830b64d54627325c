-- Lifetime totals per user and per session (actor_spans), kept by the same fold as actor_rollups_1h, so
-- the users / sessions lists read one row per actor whose events all lie inside the range instead of
-- aggregating its hourly rows; plus a per-actor index on actor_rollups_1h for the few actors that
-- straddle a range edge and for the page's latency histograms.

-- Up Migration

-- One row per (project, kind, actor): counters equal count()/sum() over all of the actor's stored events,
-- first_seen / last_seen their oldest and newest ts. An actor with first_seen >= from and last_seen < to
-- has all its events in [from, to), so these are its totals over that range; any other actor active in
-- the range is summed from actor_rollups_1h (regional/api/analytics/actors.ts).
CREATE TABLE actor_spans (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('user', 'session')),
  actor          text NOT NULL,
  events         bigint NOT NULL,
  errors         bigint NOT NULL,
  input_tokens   bigint NOT NULL,
  output_tokens  bigint NOT NULL,
  cost_usd       numeric NOT NULL,
  first_seen     timestamptz NOT NULL,
  last_seen      timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, kind, actor)
);
-- The lists: every actor active since `from` (last_seen >= from), read from this index alone.
CREATE INDEX actor_spans_list_idx ON actor_spans (project_id, kind, last_seen)
  INCLUDE (org_id, actor, first_seen, events, errors, input_tokens, output_tokens, cost_usd);

-- One actor's hours: the totals of actors straddling a range edge probe (actor, hour range) index-only
-- instead of filtering every row of the range (the page's histograms probe it too, then read the heap).
CREATE INDEX actor_rollups_1h_actor_idx ON actor_rollups_1h (project_id, kind, actor, hour)
  INCLUDE (org_id, events, errors, input_tokens, output_tokens, cost_usd, first_seen, last_seen);

ALTER TABLE actor_spans ENABLE ROW LEVEL SECURITY;
ALTER TABLE actor_spans FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON actor_spans TO llmo_app USING (org_id = app_current_org());
CREATE POLICY system ON actor_spans TO llmo_system USING (true) WITH CHECK (true);
GRANT SELECT ON actor_spans TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON actor_spans TO llmo_system;

-- As in 0005, plus the spans: hourly rows first, then spans, each in key order, so two writers lock rows
-- in one global order (no deadlock).
CREATE OR REPLACE FUNCTION llmo_fold_actor_delta() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  WITH per_bucket AS (
    SELECT org_id, project_id, kind, hour, actor, bucket, sum(events) AS events, sum(errors) AS errors,
      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
      sum(latency_count) AS latency_count, min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM llmo_actor_delta GROUP BY 1, 2, 3, 4, 5, 6
  ), per_actor AS (
    SELECT org_id, project_id, kind, hour, actor, sum(events)::bigint AS events, sum(errors)::bigint AS errors,
      sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
      sum(cost_usd) AS cost_usd,
      coalesce(jsonb_object_agg(bucket, latency_count) FILTER (WHERE bucket IS NOT NULL AND latency_count > 0),
               '{}'::jsonb) AS latency_hist,
      min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM per_bucket GROUP BY 1, 2, 3, 4, 5
  ), up AS (
    INSERT INTO actor_rollups_1h AS r
    SELECT * FROM per_actor ORDER BY org_id, project_id, kind, hour, actor
    ON CONFLICT (org_id, project_id, kind, hour, actor) DO UPDATE SET
      events = r.events + excluded.events,
      errors = r.errors + excluded.errors,
      input_tokens = r.input_tokens + excluded.input_tokens,
      output_tokens = r.output_tokens + excluded.output_tokens,
      cost_usd = r.cost_usd + excluded.cost_usd,
      latency_hist = llmo_hist_merge(r.latency_hist, excluded.latency_hist),
      first_seen = least(r.first_seen, excluded.first_seen),
      last_seen = greatest(r.last_seen, excluded.last_seen)
    RETURNING 1
  )
  SELECT count(*) INTO n FROM up;
  INSERT INTO actor_spans AS s
  SELECT org_id, project_id, kind, actor, sum(events)::bigint, sum(errors)::bigint, sum(input_tokens)::bigint,
    sum(output_tokens)::bigint, sum(cost_usd), min(first_seen), max(last_seen)
  FROM llmo_actor_delta GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (org_id, project_id, kind, actor) DO UPDATE SET
    events = s.events + excluded.events,
    errors = s.errors + excluded.errors,
    input_tokens = s.input_tokens + excluded.input_tokens,
    output_tokens = s.output_tokens + excluded.output_tokens,
    cost_usd = s.cost_usd + excluded.cost_usd,
    first_seen = least(s.first_seen, excluded.first_seen),
    last_seen = greatest(s.last_seen, excluded.last_seen);
  TRUNCATE llmo_actor_delta;
  RETURN n;
END $$;

-- Actors stored before this migration.
INSERT INTO actor_spans
SELECT org_id, project_id, kind, actor, sum(events)::bigint, sum(errors)::bigint, sum(input_tokens)::bigint,
  sum(output_tokens)::bigint, sum(cost_usd), min(first_seen), max(last_seen)
FROM actor_rollups_1h GROUP BY 1, 2, 3, 4;

-- Down Migration

DROP INDEX actor_rollups_1h_actor_idx;
DROP TABLE actor_spans;
CREATE OR REPLACE FUNCTION llmo_fold_actor_delta() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE n integer;
BEGIN
  WITH per_bucket AS (
    SELECT org_id, project_id, kind, hour, actor, bucket, sum(events) AS events, sum(errors) AS errors,
      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,
      sum(latency_count) AS latency_count, min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM llmo_actor_delta GROUP BY 1, 2, 3, 4, 5, 6
  ), per_actor AS (
    SELECT org_id, project_id, kind, hour, actor, sum(events)::bigint AS events, sum(errors)::bigint AS errors,
      sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
      sum(cost_usd) AS cost_usd,
      coalesce(jsonb_object_agg(bucket, latency_count) FILTER (WHERE bucket IS NOT NULL AND latency_count > 0),
               '{}'::jsonb) AS latency_hist,
      min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM per_bucket GROUP BY 1, 2, 3, 4, 5
  ), up AS (
    INSERT INTO actor_rollups_1h AS r
    SELECT * FROM per_actor ORDER BY org_id, project_id, kind, hour, actor
    ON CONFLICT (org_id, project_id, kind, hour, actor) DO UPDATE SET
      events = r.events + excluded.events,
      errors = r.errors + excluded.errors,
      input_tokens = r.input_tokens + excluded.input_tokens,
      output_tokens = r.output_tokens + excluded.output_tokens,
      cost_usd = r.cost_usd + excluded.cost_usd,
      latency_hist = llmo_hist_merge(r.latency_hist, excluded.latency_hist),
      first_seen = least(r.first_seen, excluded.first_seen),
      last_seen = greatest(r.last_seen, excluded.last_seen)
    RETURNING 1
  )
  SELECT count(*) INTO n FROM up;
  TRUNCATE llmo_actor_delta;
  RETURN n;
END $$;
