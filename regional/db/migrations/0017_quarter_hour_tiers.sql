-- 15-minute analytics tier blocks, between the 5-minute and hourly ones, in every tier table
-- (analytics_rollups, dimension_rollups, attribute_rollups, attribute_model_rollups, attribute_overflow)
-- and in the dirty log. A 15-minute timeseries bucket cannot hold an hour, so until now it read three
-- 5-minute rows per bucket and combination: one 15-minute row answers it. Every change to
-- event_rollups_1m now marks its 5-minute, 15-minute and hourly blocks together, so a clean coarser
-- block never hides a dirty finer one (regional/rollups/tiers/plan.ts).

-- Up Migration

ALTER TABLE analytics_rollups DROP CONSTRAINT analytics_rollups_grain_check,
  ADD CONSTRAINT analytics_rollups_grain_check CHECK (grain IN ('5m', '15m', '1h'));
ALTER TABLE analytics_dirty DROP CONSTRAINT analytics_dirty_grain_check,
  ADD CONSTRAINT analytics_dirty_grain_check CHECK (grain IN ('5m', '15m', '1h'));
ALTER TABLE dimension_rollups DROP CONSTRAINT dimension_rollups_grain_check,
  ADD CONSTRAINT dimension_rollups_grain_check CHECK (grain IN ('5m', '15m', '1h'));
ALTER TABLE attribute_rollups DROP CONSTRAINT attribute_rollups_grain_check,
  ADD CONSTRAINT attribute_rollups_grain_check CHECK (grain IN ('5m', '15m', '1h'));
ALTER TABLE attribute_model_rollups DROP CONSTRAINT attribute_model_rollups_grain_check,
  ADD CONSTRAINT attribute_model_rollups_grain_check CHECK (grain IN ('5m', '15m', '1h'));
ALTER TABLE attribute_overflow DROP CONSTRAINT attribute_overflow_grain_check,
  ADD CONSTRAINT attribute_overflow_grain_check CHECK (grain IN ('5m', '15m', '1h'));

-- Runs as the writer (the loader's llmo_system role), which may insert markers under its RLS policy.
-- The 5-minute markers first: the refresher takes the oldest marker first, and a coarser block sums the
-- rows of its clean 5-minute blocks.
CREATE OR REPLACE FUNCTION llmo_mark_analytics_dirty() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO analytics_dirty (org_id, project_id, grain, start)
  SELECT org_id, project_id, grain, start FROM (
    SELECT DISTINCT org_id, project_id, '5m' AS grain, date_bin('5 minutes', minute, timestamptz 'epoch') AS start, 1 AS o
      FROM changed
    UNION ALL
    SELECT DISTINCT org_id, project_id, '15m', date_bin('15 minutes', minute, timestamptz 'epoch'), 2 FROM changed
    UNION ALL
    SELECT DISTINCT org_id, project_id, '1h', date_bin('1 hour', minute, timestamptz 'epoch'), 3 FROM changed
  ) b ORDER BY o, start;
  RETURN NULL;
END $$;

-- Existing history has no 15-minute rows: mark every 15-minute block that has per-minute rows dirty,
-- newest first (the refresher takes the oldest marker first, so recent blocks are built first). Only the
-- 15-minute blocks: their 5-minute and hourly rows stay clean and keep answering, and a dirty 15-minute
-- block is read from its 5-minute blocks meanwhile (as every 15-minute bucket was read before). Each is
-- built from its clean 5-minute rows, not from minutes or events.
INSERT INTO analytics_dirty (org_id, project_id, grain, start)
SELECT org_id, project_id, '15m', start FROM (
  SELECT DISTINCT org_id, project_id, date_bin('15 minutes', minute, timestamptz 'epoch') AS start FROM event_rollups_1m
) b
ORDER BY start DESC;

-- Down Migration

DELETE FROM analytics_dirty WHERE grain = '15m';
DELETE FROM attribute_overflow WHERE grain = '15m';
DELETE FROM attribute_model_rollups WHERE grain = '15m';
DELETE FROM attribute_rollups WHERE grain = '15m';
DELETE FROM dimension_rollups WHERE grain = '15m';
DELETE FROM analytics_rollups WHERE grain = '15m';

CREATE OR REPLACE FUNCTION llmo_mark_analytics_dirty() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO analytics_dirty (org_id, project_id, grain, start)
  SELECT DISTINCT org_id, project_id, '5m', date_bin('5 minutes', minute, timestamptz 'epoch') FROM changed
  UNION
  SELECT DISTINCT org_id, project_id, '1h', date_bin('1 hour', minute, timestamptz 'epoch') FROM changed;
  RETURN NULL;
END $$;

ALTER TABLE attribute_overflow DROP CONSTRAINT attribute_overflow_grain_check,
  ADD CONSTRAINT attribute_overflow_grain_check CHECK (grain IN ('5m', '1h'));
ALTER TABLE attribute_model_rollups DROP CONSTRAINT attribute_model_rollups_grain_check,
  ADD CONSTRAINT attribute_model_rollups_grain_check CHECK (grain IN ('5m', '1h'));
ALTER TABLE attribute_rollups DROP CONSTRAINT attribute_rollups_grain_check,
  ADD CONSTRAINT attribute_rollups_grain_check CHECK (grain IN ('5m', '1h'));
ALTER TABLE dimension_rollups DROP CONSTRAINT dimension_rollups_grain_check,
  ADD CONSTRAINT dimension_rollups_grain_check CHECK (grain IN ('5m', '1h'));
ALTER TABLE analytics_dirty DROP CONSTRAINT analytics_dirty_grain_check,
  ADD CONSTRAINT analytics_dirty_grain_check CHECK (grain IN ('5m', '1h'));
ALTER TABLE analytics_rollups DROP CONSTRAINT analytics_rollups_grain_check,
  ADD CONSTRAINT analytics_rollups_grain_check CHECK (grain IN ('5m', '1h'));
