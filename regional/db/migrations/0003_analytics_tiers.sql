-- Analytics tiers (owner: regional API): dimensionless 5-minute and hourly totals built from
-- event_rollups_1m, so a 24 h overview reads ~30 rows instead of ~170k, plus the dirty-block log that
-- keeps them exact. Queries read a tier row only when its block is not dirty; otherwise they read the
-- per-minute rollups, so answers never depend on how far behind the refresher is.

-- Up Migration

CREATE TABLE analytics_rollups (
  org_id             uuid NOT NULL,
  project_id         uuid NOT NULL,
  grain              text NOT NULL CHECK (grain IN ('5m', '1h')),
  start              timestamptz NOT NULL,
  events             bigint NOT NULL,
  errors             bigint NOT NULL,
  input_tokens       bigint NOT NULL,
  output_tokens      bigint NOT NULL,
  cost_usd           numeric NOT NULL,
  latency_hist       jsonb NOT NULL,
  -- Percentiles of latency_hist computed once at refresh: a timeseries point that is exactly one tier
  -- row needs no histogram merge at query time.
  p50                double precision,
  p95                double precision,
  p99                double precision,
  -- Newest updated_at of the per-minute rows folded in (for data_as_of).
  source_updated_at  timestamptz,
  refreshed_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (org_id, project_id, grain, start)
);
CREATE INDEX analytics_rollups_project_idx ON analytics_rollups (project_id, grain, start);

-- Append-only: one row per (project, grain, block) touched by a statement on event_rollups_1m. The
-- refresher recomputes a block and deletes exactly the marker ids it saw, in one REPEATABLE READ
-- transaction, so a change committed later leaves its own marker behind.
CREATE TABLE analytics_dirty (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  grain       text NOT NULL CHECK (grain IN ('5m', '1h')),
  start       timestamptz NOT NULL,
  marked_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX analytics_dirty_block_idx ON analytics_dirty (project_id, grain, start);

-- Runs as the writer (the loader's llmo_system role), which may insert markers under its RLS policy.
CREATE FUNCTION llmo_mark_analytics_dirty() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO analytics_dirty (org_id, project_id, grain, start)
  SELECT DISTINCT org_id, project_id, '5m', date_bin('5 minutes', minute, timestamptz 'epoch') FROM changed
  UNION
  SELECT DISTINCT org_id, project_id, '1h', date_bin('1 hour', minute, timestamptz 'epoch') FROM changed;
  RETURN NULL;
END $$;

-- Statement-level with transition tables: one INSERT … ON CONFLICT DO UPDATE of the loader adds a
-- handful of markers, not one per rollup row.
CREATE TRIGGER event_rollups_1m_dirty_ins AFTER INSERT ON event_rollups_1m
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION llmo_mark_analytics_dirty();
CREATE TRIGGER event_rollups_1m_dirty_upd AFTER UPDATE ON event_rollups_1m
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION llmo_mark_analytics_dirty();
CREATE TRIGGER event_rollups_1m_dirty_del AFTER DELETE ON event_rollups_1m
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION llmo_mark_analytics_dirty();

ALTER TABLE analytics_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON analytics_rollups TO llmo_app USING (org_id = app_current_org());
CREATE POLICY system ON analytics_rollups TO llmo_system USING (true) WITH CHECK (true);
-- Enabled but not forced: the owner (this migration's backfill, maintenance) may write markers; the
-- service roles stay bound by their policies. Markers hold ids and block times only.
ALTER TABLE analytics_dirty ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON analytics_dirty TO llmo_app USING (org_id = app_current_org());
CREATE POLICY system ON analytics_dirty TO llmo_system USING (true) WITH CHECK (true);

GRANT SELECT ON analytics_rollups, analytics_dirty TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_rollups, analytics_dirty TO llmo_system;

-- Existing per-minute rows have no tier rows yet: mark their blocks dirty so the refresher builds them.
INSERT INTO analytics_dirty (org_id, project_id, grain, start)
SELECT DISTINCT org_id, project_id, '5m', date_bin('5 minutes', minute, timestamptz 'epoch') FROM event_rollups_1m
UNION
SELECT DISTINCT org_id, project_id, '1h', date_bin('1 hour', minute, timestamptz 'epoch') FROM event_rollups_1m;

-- Down Migration

DROP TRIGGER event_rollups_1m_dirty_del ON event_rollups_1m;
DROP TRIGGER event_rollups_1m_dirty_upd ON event_rollups_1m;
DROP TRIGGER event_rollups_1m_dirty_ins ON event_rollups_1m;
DROP FUNCTION llmo_mark_analytics_dirty();
DROP TABLE analytics_dirty, analytics_rollups;
