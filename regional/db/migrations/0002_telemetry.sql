-- Telemetry storage (loader-owned): events in daily partitions made ahead, dedupe key, rollups with histograms, dead letters.

-- Up Migration

-- One row per accepted event. Identity is (project, event time, event_id): the partition key must be in
-- every unique constraint and an SDK resend repeats the timestamp, so resends, redeliveries and replays
-- collapse to one row. The primary key leads with (project_id, ts) so the same index serves the dedupe
-- check, the explorer's "newest first in a time range" scan and right-edge (cache-friendly) inserts.
-- `event` keeps the event exactly as the SDK sent it (json, not jsonb: cheaper to load, keeps key
-- order and unknown fields); the columns beside it are extracted for filtering and aggregation.
CREATE TABLE telemetry_events (
  project_id                   uuid NOT NULL,
  ts                           timestamptz NOT NULL,
  event_id                     text NOT NULL,
  org_id                       uuid NOT NULL,
  key_id                       uuid NOT NULL,
  received_at                  timestamptz NOT NULL,
  operation                    text NOT NULL,
  provider                     text NOT NULL,
  model                        text NOT NULL,
  status                       text NOT NULL,
  environment                  text NOT NULL DEFAULT '',
  duration_ms                  double precision,
  input_tokens                 bigint,
  output_tokens                bigint,
  cache_read_input_tokens      bigint,
  cache_creation_input_tokens  bigint,
  cost_usd                     numeric,
  request_id                   text,
  event                        json NOT NULL,
  PRIMARY KEY (project_id, ts, event_id)
) PARTITION BY RANGE (ts);

-- Per minute (UTC) × project × model × provider × operation × status × environment ('' when absent).
-- Counters are exact (numeric cost, bigint tokens) so they equal sum() over telemetry_events.
-- latency_hist: sparse log-bucket histogram {"<bucket>": count} of duration_ms (see latency-histogram.ts),
-- merge with llmo_hist_merge / llmo_hist_sum, read with llmo_hist_quantile.
CREATE TABLE event_rollups_1m (
  org_id                       uuid NOT NULL,
  project_id                   uuid NOT NULL,
  minute                       timestamptz NOT NULL,
  model                        text NOT NULL,
  provider                     text NOT NULL,
  operation                    text NOT NULL,
  status                       text NOT NULL,
  environment                  text NOT NULL,
  events                       bigint NOT NULL DEFAULT 0,
  errors                       bigint NOT NULL DEFAULT 0,
  input_tokens                 bigint NOT NULL DEFAULT 0,
  output_tokens                bigint NOT NULL DEFAULT 0,
  cache_read_input_tokens      bigint NOT NULL DEFAULT 0,
  cache_creation_input_tokens  bigint NOT NULL DEFAULT 0,
  cost_usd                     numeric NOT NULL DEFAULT 0,
  latency_count                bigint NOT NULL DEFAULT 0,
  latency_hist                 jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at                   timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (org_id, project_id, minute, model, provider, operation, status, environment)
);
CREATE INDEX event_rollups_1m_project_minute_idx ON event_rollups_1m (project_id, minute);

-- Lines that could not be loaded. (object_key, line_number) is unique so redelivery adds nothing.
-- org/project are known when the envelope parsed far enough; the raw line is kept (truncated) for triage.
CREATE TABLE dead_letters (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id       uuid,
  project_id   uuid,
  bucket       text NOT NULL,
  object_key   text NOT NULL,
  line_number  integer NOT NULL,
  reason       text NOT NULL,
  detail       text,
  line         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (object_key, line_number)
);
CREATE INDEX dead_letters_created_idx ON dead_letters (created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['telemetry_events', 'event_rollups_1m', 'dead_letters'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I TO llmo_app USING (org_id = app_current_org())', t);
    EXECUTE format('CREATE POLICY system ON %I TO llmo_system USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;

GRANT SELECT ON telemetry_events, event_rollups_1m TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON telemetry_events, event_rollups_1m, dead_letters TO llmo_system;

-- ---------------------------------------------------------------------------------------------------
-- Latency histogram arithmetic (mirror of regional/rollups/latency-histogram.ts: α = 1%, γ = 1.01/0.99,
-- zero bucket -32768 for values ≤ 0.001 ms, top bucket 1037 ≈ 1e9 ms).

-- Bucket of one latency in ms; NULL stays NULL (no latency reported).
CREATE FUNCTION llmo_latency_bucket(v double precision) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN v > 0.001::float8
              THEN least(ceil(ln(v) / ln(1.01::float8 / 0.99::float8)), 1037)::integer
              ELSE -32768 END
$$;

-- Representative value (ms) of a bucket: within 1% of every value in it.
CREATE FUNCTION llmo_latency_bucket_value(b integer) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN b <= -32768 THEN 0::float8
              ELSE 2 * power(1.01::float8 / 0.99::float8, b) / (1.01::float8 / 0.99::float8 + 1) END
$$;

-- Adds two histograms bucket by bucket (NULL counts as empty).
CREATE FUNCTION llmo_hist_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
  FROM (
    SELECT k, sum(v::bigint) AS n
    FROM (
      SELECT key AS k, value AS v FROM jsonb_each_text(coalesce(a, '{}'::jsonb))
      UNION ALL
      SELECT key, value FROM jsonb_each_text(coalesce(b, '{}'::jsonb))
    ) parts
    GROUP BY k
  ) sums
$$;

-- Aggregate: llmo_hist_sum(latency_hist) over any set of rollup rows.
CREATE AGGREGATE llmo_hist_sum(jsonb) (
  SFUNC = llmo_hist_merge,
  STYPE = jsonb,
  INITCOND = '{}',
  COMBINEFUNC = llmo_hist_merge,
  PARALLEL = SAFE
);

-- Quantile q ∈ [0,1] in ms (NULL for an empty histogram): the bucket holding rank floor(q·(n−1)).
CREATE FUNCTION llmo_hist_quantile(h jsonb, q double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT llmo_latency_bucket_value(b)
  FROM (
    SELECT key::integer AS b,
           sum(value::bigint) OVER (ORDER BY key::integer) AS cum,
           sum(value::bigint) OVER () AS total
    FROM jsonb_each_text(coalesce(h, '{}'::jsonb))
  ) c
  WHERE cum > floor(least(greatest(q, 0), 1) * (total - 1))
  ORDER BY b
  LIMIT 1
$$;

GRANT EXECUTE ON FUNCTION llmo_latency_bucket(double precision), llmo_latency_bucket_value(integer),
  llmo_hist_merge(jsonb, jsonb), llmo_hist_sum(jsonb), llmo_hist_quantile(jsonb, double precision)
  TO llmo_app, llmo_system;

-- ---------------------------------------------------------------------------------------------------
-- Partition maintenance. Partitions are daily, UTC, named telemetry_events_pYYYYMMDD. There is
-- deliberately NO default partition: rows it held would block creating the day partition they belong
-- to. The loader only inserts events whose day has a partition and dead-letters the rest with reason
-- 'out_of_range' (replayable after creating the partition; see regional/loader/RUNBOOK.md).
-- SECURITY DEFINER so llmo_system can run maintenance without owning the table.

-- Creates missing daily partitions for every day in [p_from, p_to]; returns how many were created.
CREATE FUNCTION llmo_ensure_telemetry_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  d date := p_from;
  created integer := 0;
  part text;
BEGIN
  IF p_to - p_from > 400 THEN
    RAISE EXCEPTION 'refusing to create % partitions at once', p_to - p_from + 1;
  END IF;
  -- Serialise maintainers; the loader and the scheduler may both call this.
  PERFORM pg_advisory_xact_lock(hashtext('llmo_telemetry_partitions'));
  WHILE d <= p_to LOOP
    part := 'telemetry_events_p' || to_char(d, 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF telemetry_events FOR VALUES FROM (%L) TO (%L)',
                     part, to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
      created := created + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN created;
END $$;

-- Days (UTC) that currently have a partition, ascending.
CREATE FUNCTION llmo_telemetry_partition_days() RETURNS SETOF date
LANGUAGE sql STABLE AS $$
  SELECT to_date(substring(c.relname FROM 'telemetry_events_p([0-9]{8})$'), 'YYYYMMDD') AS day
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'public.telemetry_events'::regclass
    AND c.relname ~ '^telemetry_events_p[0-9]{8}$'
  ORDER BY 1
$$;

-- Drops every daily partition for a day before p_before; returns the dropped partition names.
CREATE FUNCTION llmo_drop_telemetry_partitions_before(p_before date) RETURNS text[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  day date;
  dropped text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('llmo_telemetry_partitions'));
  FOR day IN SELECT * FROM llmo_telemetry_partition_days() LOOP
    EXIT WHEN day >= p_before;
    EXECUTE format('DROP TABLE %I', 'telemetry_events_p' || to_char(day, 'YYYYMMDD'));
    dropped := dropped || ('telemetry_events_p' || to_char(day, 'YYYYMMDD'));
  END LOOP;
  RETURN dropped;
END $$;

REVOKE ALL ON FUNCTION llmo_ensure_telemetry_partitions(date, date), llmo_drop_telemetry_partitions_before(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION llmo_ensure_telemetry_partitions(date, date), llmo_drop_telemetry_partitions_before(date),
  llmo_telemetry_partition_days() TO llmo_system;
GRANT EXECUTE ON FUNCTION llmo_telemetry_partition_days() TO llmo_app;

-- A fresh database is usable at once: a week back and two weeks ahead.
SELECT llmo_ensure_telemetry_partitions((now() AT TIME ZONE 'UTC')::date - 7, (now() AT TIME ZONE 'UTC')::date + 14);

-- Down Migration

DROP FUNCTION llmo_drop_telemetry_partitions_before(date);
DROP FUNCTION llmo_telemetry_partition_days();
DROP FUNCTION llmo_ensure_telemetry_partitions(date, date);
DROP FUNCTION llmo_hist_quantile(jsonb, double precision);
DROP AGGREGATE llmo_hist_sum(jsonb);
DROP FUNCTION llmo_hist_merge(jsonb, jsonb);
DROP FUNCTION llmo_latency_bucket_value(integer);
DROP FUNCTION llmo_latency_bucket(double precision);
DROP TABLE dead_letters, event_rollups_1m, telemetry_events;
