// Migrations: re-running is a no-op that keeps the service roles working; no column can hold a key secret.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, createProject } from '../../infra/testing/factories.ts';
import { MigrationHistoryError, migrate } from './migrate.ts';
import { createPool } from './pool.ts';

let owner: pg.Pool;

beforeAll(() => {
  owner = createPool(inject('databaseUrl'));
});
afterAll(() => owner.end());

describe('migrate', () => {
  it('applies nothing the second time, and leaves existing roles and their logins alone', async () => {
    expect(await migrate({ ownerUrl: inject('databaseUrl') })).toEqual([]);
    const client = new pg.Client({ connectionString: inject('appDatabaseUrl') });
    await client.connect();
    const { rows } = await client.query<{ acts_as_app: boolean }>(
      "SELECT pg_has_role(current_user, 'llmo_app', 'USAGE') AS acts_as_app",
    );
    await client.end();
    expect(rows[0]?.acts_as_app).toBe(true);
  });

  it('stores API keys as 32-byte digests only: no column could hold a secret', async () => {
    const { rows } = await owner.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'api_keys'",
    );
    const columns = rows.map((r) => r.column_name);
    expect(columns).not.toContain('secret');
    expect(columns).not.toContain('key');
    expect(rows.find((r) => r.column_name === 'secret_sha256')?.data_type).toBe('bytea');

    const org = await createOrg(owner);
    const project = await createProject(owner, org.id);
    await expect(
      owner.query(
        "INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name) VALUES ($1, $2, 'abcdefABCDEF', $3, 'k')",
        [org.id, project.id, Buffer.from('lok_not_a_digest')],
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('refuses a database migrated with the old (pre-renumbering) files, saying to recreate it', async () => {
    const name = `llmo_old_history_${process.pid}`;
    await owner.query(`DROP DATABASE IF EXISTS ${name}`);
    await owner.query(`CREATE DATABASE ${name}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const old = new pg.Client({ connectionString: url.toString() });
    await old.connect();
    try {
      // The history a database migrated before 0002/0003 were folded holds.
      await old.query(
        'CREATE TABLE pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)',
      );
      await old.query(
        `INSERT INTO pgmigrations (name, run_on) SELECT n, now() FROM unnest($1::text[]) AS n`,
        [['0001_tenants', '0002_telemetry', '0003_telemetry_storage', '0004_analytics_tiers']],
      );
      const refused = await migrate({ ownerUrl: url.toString() }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(MigrationHistoryError);
      expect((refused as Error).message).toMatch(
        /0003_telemetry_storage, 0004_analytics_tiers\).*must be recreated.*delete .*\.data\/postgres/,
      );
      // Nothing was applied over the old history.
      const { rows } = await old.query('SELECT count(*)::int AS n FROM pgmigrations');
      expect(rows[0]).toEqual({ n: 4 });
    } finally {
      await old.end();
      await owner.query(`DROP DATABASE ${name}`);
    }
  });
});
