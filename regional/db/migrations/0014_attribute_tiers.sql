-- Attribute tiers: 5-minute and hourly totals per attribute key × value × the five dimensions, built from
-- the block's raw telemetry_events by the same refresher and dirty markers as dimension_rollups (0007),
-- so an overview, timeseries or breakdown with one `attr.<key>=<value>` filter reads a few rows per
-- block instead of scanning every event of the range. A key with too many distinct values in a block
-- (or a value too long, or past the block's cap of key × value pairs) is not rolled up for that block: attribute_overflow records it and reads of
-- that key scan the block's raw events instead. Reads use a block only when it is clean and not
-- overflowed for the key; everything else comes from raw events, so answers stay exact.

-- Up Migration

-- One row per block × key × value × dimension combination present in the block. `value` is exactly
-- what `event -> 'attributes' ->> key` yields (JSON null yields SQL NULL and has no row).
CREATE TABLE attribute_rollups (
  org_id             uuid NOT NULL,
  project_id         uuid NOT NULL,
  grain              text NOT NULL CHECK (grain IN ('5m', '1h')),
  start              timestamptz NOT NULL,
  key                text NOT NULL,
  value              text NOT NULL,
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
  -- Newest received_at of the events folded in (for data_as_of, as a raw-event read reports it).
  source_updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, grain, start, key, value, model, provider, operation, status, environment)
);
-- Reads: one key = value over a range of blocks of one grain.
CREATE INDEX attribute_rollups_lookup_idx ON attribute_rollups (project_id, key, value, grain, start);

-- The same rows summed over provider, operation, status and environment: what an answer that filters or
-- groups on nothing but the model needs (overview, timeseries, split and breakdown by model), in about
-- a twelfth of the rows and histograms.
CREATE TABLE attribute_model_rollups (
  org_id             uuid NOT NULL,
  project_id         uuid NOT NULL,
  grain              text NOT NULL CHECK (grain IN ('5m', '1h')),
  start              timestamptz NOT NULL,
  key                text NOT NULL,
  value              text NOT NULL,
  model              text NOT NULL,
  events             bigint NOT NULL,
  errors             bigint NOT NULL,
  input_tokens       bigint NOT NULL,
  output_tokens      bigint NOT NULL,
  cost_usd           numeric NOT NULL,
  latency_hist       jsonb NOT NULL,
  source_updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, grain, start, key, value, model)
);
CREATE INDEX attribute_model_rollups_lookup_idx ON attribute_model_rollups (project_id, key, value, grain, start);

-- (block, key) pairs NOT rolled up: more distinct values than the cap, a value longer than the cap, or
-- the key past the block's cap of key × value pairs (regional/rollups/tiers/attributes.ts).
CREATE TABLE attribute_overflow (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  grain       text NOT NULL CHECK (grain IN ('5m', '1h')),
  start       timestamptz NOT NULL,
  key         text NOT NULL,
  PRIMARY KEY (org_id, project_id, grain, start, key)
);
CREATE INDEX attribute_overflow_key_idx ON attribute_overflow (project_id, key, start);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['attribute_rollups', 'attribute_model_rollups', 'attribute_overflow'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I TO llmo_app USING (org_id = app_current_org())', t);
    EXECUTE format('CREATE POLICY system ON %I TO llmo_system USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;

GRANT SELECT ON attribute_rollups, attribute_model_rollups, attribute_overflow TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON attribute_rollups, attribute_model_rollups, attribute_overflow TO llmo_system;

-- Blocks refreshed before this migration have no attribute rows: mark them dirty again so the refresher
-- builds them (reads use raw events until then). One marker per existing dimensionless tier row (every
-- refreshed block with data has one; blocks not yet refreshed still have their markers), newest first so
-- the refresher, which takes the oldest marker first, rebuilds the most recent blocks first, and each
-- 5-minute block before the hour it starts (the hour then sums its clean 5-minute rows rather than
-- reading the hour's events again).
INSERT INTO analytics_dirty (org_id, project_id, grain, start)
SELECT org_id, project_id, grain, start FROM analytics_rollups ORDER BY start DESC, grain DESC;

-- Down Migration

DROP TABLE attribute_overflow, attribute_model_rollups, attribute_rollups;
