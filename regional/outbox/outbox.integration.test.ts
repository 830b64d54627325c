// Outbox delivery: commit-together, retry after DynamoDB failures, no old version over a newer one.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KeyCacheItem } from '../../contract/index.ts';
import { generateApiKey } from '../../contract/index.ts';
import { LOCAL_AWS } from '../../infra/local/dynamo.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
import { createPool } from '../db/pool.ts';
import { withOrg } from '../db/tenant.ts';
import { drainKeyOutbox } from './drain.ts';
import { dynamoKeyCacheWriter, type KeyCacheWriter } from './dynamo-key-store.ts';
import { enqueueKeyUpsert } from './enqueue.ts';
import { startKeyPropagator } from './propagator.ts';

let app: pg.Pool;
let system: pg.Pool;
let dynamo: DynamoDBClient;
let writer: KeyCacheWriter;

beforeAll(() => {
  app = createPool(inject('appDatabaseUrl'), { max: 2 });
  system = createPool(inject('systemDatabaseUrl'), { max: 2 });
  dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  writer = dynamoKeyCacheWriter(dynamo, inject('keyTableName'));
});
afterAll(async () => {
  dynamo.destroy();
  await Promise.all([app.end(), system.end()]);
});

async function newKey(): Promise<{
  orgId: string;
  projectId: string;
  keyId: string;
  prefix: string;
  digest: Buffer;
}> {
  const org = await system.query<{ id: string }>(
    "INSERT INTO organizations (name) VALUES ('outbox') RETURNING id",
  );
  const orgId = org.rows[0]?.id ?? '';
  const project = await system.query<{ id: string }>(
    "INSERT INTO projects (org_id, name) VALUES ($1, 'p') RETURNING id",
    [orgId],
  );
  const projectId = project.rows[0]?.id ?? '';
  const g = generateApiKey(TEST_KEY_TAG);
  const key = await system.query<{ id: string }>(
    "INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name) VALUES ($1, $2, $3, $4, 'k') RETURNING id",
    [orgId, projectId, g.prefix, g.secretSha256],
  );
  return { orgId, projectId, keyId: key.rows[0]?.id ?? '', prefix: g.prefix, digest: g.secretSha256 };
}

async function item(prefix: string): Promise<Record<string, unknown> | undefined> {
  const doc = DynamoDBDocumentClient.from(dynamo);
  return (
    await doc.send(
      new GetCommand({ TableName: inject('keyTableName'), Key: { prefix }, ConsistentRead: true }),
    )
  ).Item;
}

async function enqueue(
  k: Awaited<ReturnType<typeof newKey>>,
  status: 'active' | 'revoked',
  at: Date,
): Promise<KeyCacheItem> {
  return withOrg(app, k.orgId, (client) =>
    enqueueKeyUpsert(
      client,
      {
        id: k.keyId,
        org_id: k.orgId,
        project_id: k.projectId,
        prefix: k.prefix,
        secret_sha256: k.digest,
        status,
      },
      at,
    ),
  );
}

describe('key outbox', () => {
  it('an outbox row rolled back with its transaction is never delivered', async () => {
    const k = await newKey();
    await expect(
      withOrg(app, k.orgId, async (client) => {
        await enqueueKeyUpsert(
          client,
          {
            id: k.keyId,
            org_id: k.orgId,
            project_id: k.projectId,
            prefix: k.prefix,
            secret_sha256: k.digest,
            status: 'active',
          },
          new Date(),
        );
        throw new Error('boom after the outbox insert');
      }),
    ).rejects.toThrow('boom');
    await drainKeyOutbox({ pool: system, writer });
    expect(await item(k.prefix)).toBeUndefined();
  });

  it('keeps a failed row and delivers it once DynamoDB is back; versions only move forward', async () => {
    const k = await newKey();
    const created = await enqueue(k, 'active', new Date());
    const revoked = await enqueue(k, 'revoked', new Date(created.version)); // same ms: version still increases
    expect(revoked.version).toBeGreaterThan(created.version);

    // Fails for this key only: other test files share the outbox, their rows must still get through.
    const failing: KeyCacheWriter = {
      put: async (i) => {
        if (i.prefix === k.prefix) throw new Error('DynamoDB unavailable');
        return writer.put(i);
      },
    };
    const errors: unknown[] = [];
    const first = await drainKeyOutbox({ pool: system, writer: failing, onError: (e) => errors.push(e) });
    expect(first.failed).toBe(2);
    expect(errors.length).toBe(first.failed);
    const pending = await system.query(
      'SELECT attempts, last_error, next_attempt_at > clock_timestamp() AS later FROM key_outbox WHERE key_id = $1 ORDER BY id',
      [k.keyId],
    );
    expect(pending.rows).toEqual([
      { attempts: 1, last_error: 'DynamoDB unavailable', later: true },
      { attempts: 1, last_error: 'DynamoDB unavailable', later: true },
    ]);
    expect(await item(k.prefix)).toBeUndefined();

    // The backoff is honoured: a pass now finds nothing due; make the rows due as the clock would.
    await system.query('UPDATE key_outbox SET next_attempt_at = clock_timestamp() WHERE key_id = $1', [
      k.keyId,
    ]);
    await drainKeyOutbox({ pool: system, writer });
    expect(await item(k.prefix)).toMatchObject({
      status: 'revoked',
      version: revoked.version,
      key_id: k.keyId,
    });
    const left = await system.query(
      'SELECT count(*)::int AS n FROM key_outbox WHERE key_id = $1 AND delivered_at IS NULL',
      [k.keyId],
    );
    expect(left.rows[0].n).toBe(0);

    // A late copy of the older state is refused by the version condition.
    expect(await writer.put(created)).toBe('superseded');
    expect((await item(k.prefix))?.status).toBe('revoked');
  });

  it('the running propagator delivers on kick and its sweep picks up what a kick missed', async () => {
    const k = await newKey();
    const propagator = startKeyPropagator({ pool: system, writer, sweepIntervalMs: 100 });
    try {
      await enqueue(k, 'active', new Date());
      await propagator.kick();
      expect((await item(k.prefix))?.status).toBe('active');
      // No kick this time: the sweep alone must deliver it.
      await enqueue(k, 'revoked', new Date());
      await expect
        .poll(async () => (await item(k.prefix))?.status, { timeout: 5_000, interval: 50 })
        .toBe('revoked');
    } finally {
      await propagator.stop();
    }
  });

  it('an unknown key id cannot be queued from another org (RLS on the outbox)', async () => {
    const k = await newKey();
    const other = await newKey();
    await expect(
      withOrg(app, other.orgId, (client) =>
        enqueueKeyUpsert(
          client,
          {
            id: k.keyId,
            org_id: k.orgId,
            project_id: k.projectId,
            prefix: k.prefix,
            secret_sha256: k.digest,
            status: 'revoked',
          },
          new Date(),
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
