-- Dimensional analytics tiers: 5-minute and hourly totals per model × provider × operation × status ×
-- environment, built from event_rollups_1m by the same refresher and dirty markers as analytics_rollups
-- (0003), so a filtered 24 h overview, breakdown or split reads ~24 × combinations rows instead of
-- ~1440 × combinations. Queries read a block's rows only when the block is not dirty; otherwise the
-- per-minute rollups, so answers never depend on how far behind the refresher is.

-- Up Migration

-- One row per block × dimension combination present in the block. The dimension columns are NOT NULL
-- exactly like event_rollups_1m's (a missing environment is ''), so the key needs no NULL handling.
CREATE TABLE dimension_rollups (
  org_id             uuid NOT NULL,
  project_id         uuid NOT NULL,
  grain              text NOT NULL CHECK (grain IN ('5m', '1h')),
  start              timestamptz NOT NULL,
  model              text NOT NULL,
  provider           text NOT NULL,
  operation          text NOT NULL,
  status             text NOT NULL,
  environment        text NOT NULL,
  events             bigint NOT NULL,
  errors             bigint NOT NULL,
  input_tokens       bigint NOT NULL,
  output_tokens      bigint NOT NULL,
  cost_usd           numeric NOT NULL,
  latency_hist       jsonb NOT NULL,
  -- Newest updated_at of the per-minute rows folded in (for data_as_of).
  source_updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, grain, start, model, provider, operation, status, environment)
);
-- Range reads per project and grain. Reads of counters alone (breakdown ranking, split, values) are
-- index-only scans of it: the rows also hold the histogram, up to ~2 KB for a busy hour.
CREATE INDEX dimension_rollups_range_idx ON dimension_rollups (project_id, grain, start)
  INCLUDE (org_id, model, provider, operation, status, environment, events, errors, input_tokens,
           output_tokens, cost_usd, source_updated_at);

ALTER TABLE dimension_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE dimension_rollups FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON dimension_rollups TO llmo_app USING (org_id = app_current_org());
CREATE POLICY system ON dimension_rollups TO llmo_system USING (true) WITH CHECK (true);

GRANT SELECT ON dimension_rollups TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON dimension_rollups TO llmo_system;

-- The refresher deletes a block's markers once it rebuilt it, so blocks already refreshed before this
-- migration have no marker and no dimensional rows: mark every block with per-minute rows dirty again
-- (their dimensionless rows are rebuilt too, to the same values). Until then reads use the minutes.
INSERT INTO analytics_dirty (org_id, project_id, grain, start)
SELECT DISTINCT org_id, project_id, '5m', date_bin('5 minutes', minute, timestamptz 'epoch') FROM event_rollups_1m
UNION
SELECT DISTINCT org_id, project_id, '1h', date_bin('1 hour', minute, timestamptz 'epoch') FROM event_rollups_1m;

-- Down Migration

DROP TABLE dimension_rollups;
