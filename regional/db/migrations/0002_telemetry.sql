-- Telemetry storage, first cut: events partitioned by event time, per-minute rollups, dead letters.

-- Up Migration

-- Identity of an event is (project, event_id, event time): the partition key must be part of every
-- unique constraint, and an SDK resend carries the same timestamp, so resends collapse to one row.
CREATE TABLE telemetry_events (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  event_id         text NOT NULL,
  ts               timestamptz NOT NULL,
  received_at      timestamptz NOT NULL,
  key_id           uuid NOT NULL,
  operation        text NOT NULL,
  provider         text NOT NULL,
  model            text NOT NULL,
  status           text NOT NULL,
  environment      text NOT NULL DEFAULT '',
  duration_ms      double precision,
  input_tokens     bigint,
  output_tokens    bigint,
  cost_usd         double precision,
  trace_id         text,
  event            jsonb NOT NULL,
  PRIMARY KEY (project_id, event_id, ts)
) PARTITION BY RANGE (ts);
CREATE INDEX telemetry_events_explore_idx ON telemetry_events (org_id, project_id, ts DESC, event_id);

CREATE TABLE event_rollups_1m (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  minute         timestamptz NOT NULL,
  model          text NOT NULL,
  provider       text NOT NULL,
  operation      text NOT NULL,
  status         text NOT NULL,
  environment    text NOT NULL,
  events         bigint NOT NULL DEFAULT 0,
  errors         bigint NOT NULL DEFAULT 0,
  input_tokens   bigint NOT NULL DEFAULT 0,
  output_tokens  bigint NOT NULL DEFAULT 0,
  cost_usd       double precision NOT NULL DEFAULT 0,
  latency_hist   jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (org_id, project_id, minute, model, provider, operation, status, environment)
);

-- Lines that could not be loaded, with enough context to find and replay them.
CREATE TABLE dead_letters (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id       uuid,
  object_key   text NOT NULL,
  line_number  integer NOT NULL,
  reason       text NOT NULL,
  line         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (object_key, line_number)
);

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

-- Down Migration

DROP TABLE dead_letters, event_rollups_1m, telemetry_events;
