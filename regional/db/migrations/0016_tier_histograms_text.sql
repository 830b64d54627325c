-- The refresher-built tier tables (analytics_rollups, dimension_rollups, attribute_rollups,
-- attribute_model_rollups) keep their latency histogram as JSON text instead of jsonb: the same
-- `{"<bucket>": count}` object, written once per refresh and read on every filtered analytics request,
-- which sends a group's histograms as one `string_agg(latency_hist, ',')` and adds them up in Node.
-- jsonb's output function dominated that read: over one day of 5-minute dimension_rollups rows on the
-- 10M-event benchmark database (17,340 rows, ~544 characters each) `string_agg(latency_hist::text)`
-- took 287 ms from jsonb and 59 ms from text. Nothing merges these histograms in SQL any more (readers
-- parse the text; an hour of attribute rows reads its 5-minute rows through json_each_text).
-- The loader's tables (event_rollups_1m, actor_rollups_1h, actor_rollups_1d) keep jsonb: their folds
-- merge histograms in SQL with llmo_hist_merge.

-- Up Migration

ALTER TABLE analytics_rollups ALTER COLUMN latency_hist TYPE text USING latency_hist::text;
ALTER TABLE dimension_rollups ALTER COLUMN latency_hist TYPE text USING latency_hist::text;
ALTER TABLE attribute_rollups ALTER COLUMN latency_hist TYPE text USING latency_hist::text;
ALTER TABLE attribute_model_rollups ALTER COLUMN latency_hist TYPE text USING latency_hist::text;

-- Down Migration

ALTER TABLE attribute_model_rollups ALTER COLUMN latency_hist TYPE jsonb USING latency_hist::jsonb;
ALTER TABLE attribute_rollups ALTER COLUMN latency_hist TYPE jsonb USING latency_hist::jsonb;
ALTER TABLE dimension_rollups ALTER COLUMN latency_hist TYPE jsonb USING latency_hist::jsonb;
ALTER TABLE analytics_rollups ALTER COLUMN latency_hist TYPE jsonb USING latency_hist::jsonb;
