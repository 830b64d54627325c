// Revocation after a DynamoDB outage: a row waiting out a long backoff reaches DynamoDB within 5 s of its recovery.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateApiKey } from '../../contract/index.ts';
import { ensureKeyTable, LOCAL_AWS, type LocalDynamo, startDynalite } from '../../infra/local/dynamo.ts';
import { freePort } from '../../infra/testing/free-port.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { withTransaction } from '../db/tenant.ts';
import { drainKeyOutbox } from './drain.ts';
import { dynamoKeyCacheWriter, type KeyCacheWriter } from './dynamo-key-store.ts';
import { enqueueKeyUpsert } from './enqueue.ts';
import { type KeyPropagator, startKeyPropagator } from './propagator.ts';

/** How soon after DynamoDB answers again a waiting key change must be there (edge/README.md). */
const RECOVERY_BOUND_MS = 5_000;
const TABLE = 'llmo-api-keys-recovery';

// This test owns a database of its own: the shared one's outbox is drained by other test files,
// which would deliver this test's rows to the shared DynamoDB stand-in.
const dbName = `llmo_outbox_${randomBytes(4).toString('hex')}`;
const inDb = (url: string): string => {
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  return u.toString();
};

let system: pg.Pool;
let dataDir: string;
let port: number;
let dynalite: LocalDynamo | undefined;
let dynamo: DynamoDBClient;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
  await migrate({ ownerUrl: inDb(inject('databaseUrl')) });
  system = createPool(inDb(inject('systemDatabaseUrl')), { max: 3 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'llmo-dynalite-'));
  port = await freePort();
  dynalite = await startDynalite({ port, dataDir });
  await ensureKeyTable(dynalite.endpoint, TABLE);
  dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynalite.endpoint, maxAttempts: 1 });
});
afterAll(async () => {
  dynamo?.destroy();
  await system?.end();
  await dynalite?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

async function status(prefix: string): Promise<unknown> {
  const doc = DynamoDBDocumentClient.from(dynamo);
  const res = await doc.send(new GetCommand({ TableName: TABLE, Key: { prefix }, ConsistentRead: true }));
  return res.Item?.status;
}

/** A key and its outbox row, written as the admin API does (system role, one transaction). */
async function queueKey(state: 'active' | 'revoked', key?: Awaited<ReturnType<typeof newKey>>) {
  const k = key ?? (await newKey());
  await withTransaction(system, (client) =>
    enqueueKeyUpsert(
      client,
      {
        id: k.keyId,
        org_id: k.orgId,
        project_id: k.projectId,
        prefix: k.prefix,
        secret_sha256: k.digest,
        status: state,
      },
      new Date(),
    ),
  );
  return k;
}

async function newKey() {
  const org = await system.query<{ id: string }>(
    "INSERT INTO organizations (name) VALUES ('o') RETURNING id",
  );
  const orgId = org.rows[0]?.id ?? '';
  const p = await system.query<{ id: string }>(
    "INSERT INTO projects (org_id, name) VALUES ($1, 'p') RETURNING id",
    [orgId],
  );
  const projectId = p.rows[0]?.id ?? '';
  const g = generateApiKey(TEST_KEY_TAG);
  const key = await system.query<{ id: string }>(
    "INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name) VALUES ($1, $2, $3, $4, 'k') RETURNING id",
    [orgId, projectId, g.prefix, g.secretSha256],
  );
  return { orgId, projectId, keyId: key.rows[0]?.id ?? '', prefix: g.prefix, digest: g.secretSha256 };
}

async function outboxRows(keyId: string) {
  const { rows } = await system.query<{ attempts: number; delivered: boolean; waiting_s: number }>(
    `SELECT attempts, delivered_at IS NOT NULL AS delivered,
            extract(epoch FROM next_attempt_at - clock_timestamp())::float8 AS waiting_s
       FROM key_outbox WHERE key_id = $1 ORDER BY id`,
    [keyId],
  );
  return rows;
}

describe('key propagation after a DynamoDB outage', () => {
  it('delivers a revocation waiting out a long backoff within 5 s of DynamoDB answering again', async () => {
    // The writer's client as wired in production: the SDK's default retries.
    const writerClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: `http://127.0.0.1:${port}` });
    const propagator: KeyPropagator = startKeyPropagator({
      pool: system,
      writer: dynamoKeyCacheWriter(writerClient, TABLE),
      sweepIntervalMs: 1_000,
    });
    try {
      const k = await queueKey('active');
      await propagator.kick();
      expect(await status(k.prefix)).toBe('active');

      // Outage: DynamoDB stops answering; the key is revoked meanwhile.
      await dynalite?.stop();
      dynalite = undefined;
      await queueKey('revoked', k);
      await propagator.kick();
      // The outage has lasted long enough for the backoff to reach its one-minute cap (as the clock would).
      await system.query(
        `UPDATE key_outbox SET attempts = 8, next_attempt_at = clock_timestamp() + interval '60 seconds'
          WHERE key_id = $1 AND delivered_at IS NULL`,
        [k.keyId],
      );
      // While down, sweeps keep probing (attempts grow), deliver nothing, and leave the backoff alone.
      await expect
        .poll(async () => (await outboxRows(k.keyId))[1]?.attempts, { timeout: 10_000, interval: 100 })
        .toBeGreaterThan(8);
      const waiting = (await outboxRows(k.keyId))[1];
      expect(waiting?.delivered).toBe(false);
      expect(waiting?.waiting_s).toBeGreaterThan(30);

      // Recovery: same port, same data. From here the revocation has RECOVERY_BOUND_MS to arrive.
      dynalite = await startDynalite({ port, dataDir });
      await expect.poll(() => status(k.prefix), { timeout: RECOVERY_BOUND_MS, interval: 50 }).toBe('revoked');
      // The propagator marks its rows delivered after the write DynamoDB took: moments later, not at once.
      await expect
        .poll(async () => (await outboxRows(k.keyId)).every((r) => r.delivered), {
          timeout: 5_000,
          interval: 50,
        })
        .toBe(true);
    } finally {
      await propagator.stop();
      writerClient.destroy();
    }
  });

  it('makes every waiting row due once one probe gets through, and costs nothing when none wait', async () => {
    const keys = [await queueKey('revoked'), await queueKey('revoked'), await queueKey('revoked')];
    await system.query(
      `UPDATE key_outbox SET attempts = 8, next_attempt_at = clock_timestamp() + interval '60 seconds'
        WHERE delivered_at IS NULL`,
    );
    const writer = dynamoKeyCacheWriter(dynamo, TABLE);
    const puts: string[] = [];
    const counting: KeyCacheWriter = {
      put: (item) => {
        puts.push(item.prefix);
        return writer.put(item);
      },
    };
    expect(await drainKeyOutbox({ pool: system, writer: counting })).toEqual({ delivered: 3, failed: 0 });
    for (const k of keys) expect(await status(k.prefix)).toBe('revoked');
    puts.length = 0;
    expect(await drainKeyOutbox({ pool: system, writer: counting })).toEqual({ delivered: 0, failed: 0 });
    expect(puts).toEqual([]);
  });
});
