// Test factories: each integration test makes its own org, project and key (no shared fixtures).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { generateApiKey } from '../../contract/index.ts';
import { withTransaction } from '../../regional/db/tenant.ts';
import { TEST_KEY_TAG } from './key-tag.ts';

/** A freshly created organization. */
export interface TestOrg {
  id: string;
  name: string;
}

/** Creates an organization with a unique name. `pool` must be the system (or owner) role. */
export async function createOrg(pool: pg.Pool, name = `org-${randomUUID().slice(0, 8)}`): Promise<TestOrg> {
  const { rows } = await pool.query<TestOrg>(
    'INSERT INTO organizations (name) VALUES ($1) RETURNING id, name',
    [name],
  );
  const org = rows[0];
  if (!org) throw new Error('organization not created');
  return org;
}

/** Creates a project in `orgId`. */
export async function createProject(
  pool: pg.Pool,
  orgId: string,
  name = `project-${randomUUID().slice(0, 8)}`,
): Promise<{ id: string; orgId: string; name: string }> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO projects (org_id, name) VALUES ($1, $2) RETURNING id',
    [orgId, name],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('project not created');
  return { id, orgId, name };
}

/** A key as the database holds it, plus the full key the test may send (never logged). */
export interface TestApiKey {
  id: string;
  orgId: string;
  projectId: string;
  prefix: string;
  key: string;
  secretSha256: Buffer;
}

/** Creates an active API key row (digest only) for a project. Does not touch DynamoDB. */
export async function createApiKey(pool: pg.Pool, orgId: string, projectId: string): Promise<TestApiKey> {
  const generated = generateApiKey(TEST_KEY_TAG);
  const id = await withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name)
       VALUES ($1, $2, $3, $4, 'test key') RETURNING id`,
      [orgId, projectId, generated.prefix, generated.secretSha256],
    );
    return rows[0]?.id ?? '';
  });
  return {
    id,
    orgId,
    projectId,
    prefix: generated.prefix,
    key: generated.key,
    secretSha256: generated.secretSha256,
  };
}

/** Org + project + key in one call, for tests that only need "a tenant". */
export async function createTenant(
  pool: pg.Pool,
): Promise<{ org: TestOrg; projectId: string; apiKey: TestApiKey }> {
  const org = await createOrg(pool);
  const project = await createProject(pool, org.id);
  const apiKey = await createApiKey(pool, org.id, project.id);
  return { org, projectId: project.id, apiKey };
}
