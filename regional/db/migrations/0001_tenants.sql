-- Tenant tables: organizations, projects, API keys (digests only), audit log, key outbox; RLS on all of them.

-- Up Migration

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id      uuid NOT NULL REFERENCES organizations (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name),
  -- lets child tables prove a project belongs to their org with a composite foreign key
  UNIQUE (org_id, id)
);

-- The secret itself is never stored: only the SHA-256 digest of it (32 bytes).
CREATE TABLE api_keys (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  prefix         text NOT NULL UNIQUE CHECK (prefix ~ '^[0-9A-Za-z]{12}$'),
  secret_sha256  bytea NOT NULL CHECK (length(secret_sha256) = 32),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  last_used_at   timestamptz,
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX api_keys_project_idx ON api_keys (org_id, project_id, created_at DESC);

-- Append-only record of every admin action; actor comes from the verified token (or a system actor).
CREATE TABLE audit_logs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organizations (id),
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_sub    text NOT NULL,
  actor_email  text,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_logs_org_idx ON audit_logs (org_id, id DESC);

-- Transactional outbox: a key change and its row commit together; the propagator copies it to DynamoDB.
CREATE TABLE key_outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id           uuid NOT NULL REFERENCES organizations (id),
  key_id           uuid NOT NULL REFERENCES api_keys (id),
  prefix           text NOT NULL,
  op               text NOT NULL CHECK (op IN ('upsert')),
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  last_error       text,
  delivered_at     timestamptz
);
CREATE INDEX key_outbox_pending_idx ON key_outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Row-level security: the second wall behind the query filters. The app role sees only the org set by
-- withOrg() for the current transaction (SET LOCAL app.org_id); an unset org matches nothing.
CREATE FUNCTION app_current_org() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON organizations TO llmo_app USING (id = app_current_org()) WITH CHECK (id = app_current_org());
CREATE POLICY system ON organizations TO llmo_system USING (true) WITH CHECK (true);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['projects', 'api_keys', 'audit_logs', 'key_outbox'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I TO llmo_app USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org())', t);
    EXECUTE format('CREATE POLICY system ON %I TO llmo_system USING (true) WITH CHECK (true)', t);
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO llmo_app, llmo_system;
GRANT SELECT ON organizations TO llmo_app;
GRANT SELECT, INSERT ON projects TO llmo_app;
GRANT SELECT, INSERT, UPDATE ON api_keys TO llmo_app;
GRANT SELECT, INSERT ON audit_logs TO llmo_app;
GRANT SELECT, INSERT ON key_outbox TO llmo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON organizations, projects, api_keys, audit_logs, key_outbox TO llmo_system;
GRANT EXECUTE ON FUNCTION app_current_org() TO llmo_app, llmo_system;

-- Down Migration

DROP TABLE key_outbox, audit_logs, api_keys, projects, organizations;
DROP FUNCTION app_current_org();
