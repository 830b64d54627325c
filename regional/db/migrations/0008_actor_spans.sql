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

-- The fold of 0005 keeps its body under a new name; the fold the loader and the trigger call now folds the
-- spans first, then the hourly rows (which empties the deltas). Every writer takes the two in this order,
-- each in key order, so two writers never wait on each other in a cycle.
ALTER FUNCTION llmo_fold_actor_delta() RENAME TO llmo_fold_actor_hours;

CREATE FUNCTION llmo_fold_actor_spans() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
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
END $$;

-- Returns the hourly rows upserted, as before.
CREATE FUNCTION llmo_fold_actor_delta() RETURNS integer
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM llmo_fold_actor_spans();
  RETURN llmo_fold_actor_hours();
END $$;

-- Actors stored before this migration.
INSERT INTO actor_spans
SELECT org_id, project_id, kind, actor, sum(events)::bigint, sum(errors)::bigint, sum(input_tokens)::bigint,
  sum(output_tokens)::bigint, sum(cost_usd), min(first_seen), max(last_seen)
FROM actor_rollups_1h GROUP BY 1, 2, 3, 4;

-- Down Migration

DROP FUNCTION llmo_fold_actor_delta();
DROP FUNCTION llmo_fold_actor_spans();
ALTER FUNCTION llmo_fold_actor_hours() RENAME TO llmo_fold_actor_delta;
DROP INDEX actor_rollups_1h_actor_idx;
DROP TABLE actor_spans;
