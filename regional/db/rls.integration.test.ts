// Row-level security and role separation: the app role sees and writes only the org of its transaction.

import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenant } from '../../infra/testing/factories.ts';
import { createPool } from './pool.ts';
import { withOrg } from './tenant.ts';

let app: pg.Pool;
let system: pg.Pool;
let a: Awaited<ReturnType<typeof createTenant>>;
let b: Awaited<ReturnType<typeof createTenant>>;

beforeAll(async () => {
  app = createPool(inject('appDatabaseUrl'));
  system = createPool(inject('systemDatabaseUrl'));
  a = await createTenant(system);
  b = await createTenant(system);
});
afterAll(async () => {
  await app.end();
  await system.end();
});

describe('row-level security for llmo_app', () => {
  it('sees only the rows of the org set for the transaction, even with no WHERE clause', async () => {
    const seen = await withOrg(app, a.org.id, async (c) => ({
      orgs: (await c.query('SELECT id FROM organizations')).rows.map((r) => r.id),
      projects: (await c.query('SELECT id FROM projects')).rows.map((r) => r.id),
      keys: (await c.query('SELECT id FROM api_keys')).rows.map((r) => r.id),
    }));
    expect(seen).toEqual({ orgs: [a.org.id], projects: [a.projectId], keys: [a.apiKey.id] });
  });

  it('sees nothing at all when no org is set', async () => {
    const { rows } = await app.query('SELECT count(*)::int AS n FROM projects');
    expect(rows[0]?.n).toBe(0);
  });

  it('cannot write a row into another org, nor move one there', async () => {
    await expect(
      withOrg(app, a.org.id, (c) =>
        c.query('INSERT INTO projects (org_id, name) VALUES ($1, $2)', [b.org.id, 'x']),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await withOrg(app, a.org.id, (c) =>
      c.query("UPDATE api_keys SET name = 'stolen' WHERE id = $1", [b.apiKey.id]),
    );
    expect(updated.rowCount).toBe(0);
  });

  it('cannot switch roles, disable RLS or see secrets it was not granted', async () => {
    const { rows } = await app.query<{ rolbypassrls: boolean; rolsuper: boolean }>(
      'SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
    await expect(app.query('ALTER TABLE projects DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/owner/);
    await expect(app.query('DELETE FROM audit_logs')).rejects.toThrow(/permission denied/);
    await expect(app.query('SET ROLE llmo_system')).rejects.toThrow(/permission denied/);
  });

  it('does not leak the org of one transaction into the next user of a pooled connection', async () => {
    const client = await app.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('app.org_id', $1, true)", [a.org.id]);
      await client.query('COMMIT');
      const { rows } = await client.query('SELECT count(*)::int AS n FROM projects');
      expect(rows[0]?.n).toBe(0);
    } finally {
      client.release();
    }
  });

  it('the system role works across orgs', async () => {
    const { rows } = await system.query('SELECT id FROM organizations WHERE id = ANY($1)', [
      [a.org.id, b.org.id],
    ]);
    expect(rows).toHaveLength(2);
  });
});
