-- Hourly totals per user and per session, kept by a trigger on telemetry_events, so the users and
-- sessions pages read a few rows per actor and hour instead of every event of the range.

-- Up Migration

-- One row per (project, kind, hour, actor). Counters equal count()/sum() over the hour's events of that
-- actor; latency_hist is the same log-bucket histogram as event_rollups_1m (regional/rollups/).
CREATE TABLE actor_rollups_1h (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('user', 'session')),
  hour           timestamptz NOT NULL,
  actor          text NOT NULL,
  events         bigint NOT NULL,
  errors         bigint NOT NULL,
  input_tokens   bigint NOT NULL,
  output_tokens  bigint NOT NULL,
  cost_usd       numeric NOT NULL,
  latency_hist   jsonb NOT NULL,
  first_seen     timestamptz NOT NULL,
  last_seen      timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, kind, hour, actor)
);
-- Range reads per project and kind (the users / sessions lists).
CREATE INDEX actor_rollups_1h_range_idx ON actor_rollups_1h (project_id, kind, hour);

ALTER TABLE actor_rollups_1h ENABLE ROW LEVEL SECURITY;
ALTER TABLE actor_rollups_1h FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON actor_rollups_1h TO llmo_app USING (org_id = app_current_org());
CREATE POLICY system ON actor_rollups_1h TO llmo_system USING (true) WITH CHECK (true);
GRANT SELECT ON actor_rollups_1h TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON actor_rollups_1h TO llmo_system;

-- Makes the transaction's delta table (the loader calls this first; see the trigger below).
CREATE FUNCTION llmo_actor_delta_begin() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS llmo_actor_delta (
    org_id uuid, project_id uuid, kind text, hour timestamptz, actor text, bucket integer, events bigint,
    errors bigint, input_tokens bigint, output_tokens bigint, cost_usd numeric, latency_count bigint,
    first_seen timestamptz, last_seen timestamptz
  ) ON COMMIT DROP;
END $$;

-- Folds the session's pending deltas (temp table llmo_actor_delta) into actor_rollups_1h in primary-key
-- order, so two writers lock rows in the same order, then empties the deltas. Returns rows upserted.
CREATE FUNCTION llmo_fold_actor_delta() RETURNS integer
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

-- Statement-level, with the statement's inserted rows as a transition table: rows ON CONFLICT DO NOTHING
-- skipped are not in it, so a redelivered object adds nothing. Inside a loader transaction (which made
-- llmo_actor_delta) the deltas wait there and the loader folds them once, in order, before COMMIT;
-- any other writer (seeding, maintenance) folds its own statement at once.
CREATE FUNCTION llmo_actor_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE own boolean := to_regclass('pg_temp.llmo_actor_delta') IS NULL;
BEGIN
  IF own THEN
    PERFORM llmo_actor_delta_begin();
  END IF;
  INSERT INTO llmo_actor_delta
  SELECT e.org_id, e.project_id, a.kind, date_trunc('hour', e.ts), a.actor, llmo_latency_bucket(e.duration_ms),
    count(*), count(*) FILTER (WHERE e.status = 'error'), coalesce(sum(e.input_tokens), 0),
    coalesce(sum(e.output_tokens), 0), coalesce(sum(e.cost_usd), 0), count(e.duration_ms), min(e.ts), max(e.ts)
  FROM inserted e
  CROSS JOIN LATERAL (VALUES ('user', e.user_id), ('session', e.session_id)) AS a(kind, actor)
  WHERE a.actor IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6;
  IF own THEN
    PERFORM llmo_fold_actor_delta();
    DROP TABLE llmo_actor_delta;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER telemetry_events_actor_rollup AFTER INSERT ON telemetry_events
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION llmo_actor_rollup_trigger();

-- Events stored before this migration.
INSERT INTO actor_rollups_1h
SELECT org_id, project_id, kind, hour, actor, sum(n)::bigint, sum(err)::bigint, sum(itok)::bigint,
  sum(otok)::bigint, sum(cost),
  coalesce(jsonb_object_agg(b, lat) FILTER (WHERE b IS NOT NULL AND lat > 0), '{}'::jsonb), min(f), max(l)
FROM (
  SELECT e.org_id, e.project_id, a.kind, date_trunc('hour', e.ts) AS hour, a.actor,
    llmo_latency_bucket(e.duration_ms) AS b, count(*) AS n, count(*) FILTER (WHERE e.status = 'error') AS err,
    coalesce(sum(e.input_tokens), 0) AS itok, coalesce(sum(e.output_tokens), 0) AS otok,
    coalesce(sum(e.cost_usd), 0) AS cost, count(e.duration_ms) AS lat, min(e.ts) AS f, max(e.ts) AS l
  FROM telemetry_events e
  CROSS JOIN LATERAL (VALUES ('user', e.user_id), ('session', e.session_id)) AS a(kind, actor)
  WHERE a.actor IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6
) per_bucket
GROUP BY 1, 2, 3, 4, 5;

-- Down Migration

DROP TRIGGER telemetry_events_actor_rollup ON telemetry_events;
DROP FUNCTION llmo_actor_rollup_trigger();
DROP FUNCTION llmo_fold_actor_delta();
DROP FUNCTION llmo_actor_delta_begin();
DROP TABLE actor_rollups_1h;
