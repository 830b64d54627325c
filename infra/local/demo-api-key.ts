// Gives the demo project an API key at first start and keeps it (in .data/) across restarts.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type pg from 'pg';
import { generateApiKey, parseApiKey } from '../../contract/src/api-key.ts';
import { withTransaction } from '../../regional/db/tenant.ts';
import { dynamoKeyCacheWriter } from '../../regional/outbox/dynamo-key-store.ts';
import { enqueueKeyUpsert, type KeyState } from '../../regional/outbox/enqueue.ts';
import { LOCAL_AWS } from './dynamo.ts';

const ACTOR = 'system:local-stack';

/**
 * Returns the demo project's API key, creating it on first start (api_keys row + audit row + outbox
 * row in one transaction, as the admin service does) and making sure the DynamoDB key cache holds it
 * now, without waiting for the propagator. The full key is kept in `.data/demo-api-key.json` (mode
 * 0600, git-ignored): local demo only, never logged.
 */
export async function ensureDemoApiKey(options: {
  system: pg.Pool;
  dataDir: string;
  orgId: string;
  projectId: string;
  dynamoEndpoint: string;
  keyTableName: string;
}): Promise<string> {
  const file = path.join(options.dataDir, 'demo-api-key.json');
  const saved = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as { key?: string; projectId?: string })
    .catch(() => undefined);
  const state = await withTransaction(options.system, async (client) => {
    const parsed = saved?.key ? parseApiKey(saved.key) : undefined;
    if (saved?.key && parsed?.ok && saved.projectId === options.projectId) {
      const { rows } = await client.query<KeyState>(
        `SELECT id, org_id, project_id, prefix, secret_sha256, status FROM api_keys
         WHERE prefix = $1 AND project_id = $2 AND status = 'active'`,
        [parsed.prefix, options.projectId],
      );
      const row = rows[0];
      if (row) return { key: saved.key, row, item: undefined };
    }
    const generated = generateApiKey();
    const { rows } = await client.query<KeyState>(
      `INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name)
       VALUES ($1, $2, $3, $4, 'demo key') RETURNING id, org_id, project_id, prefix, secret_sha256, status`,
      [options.orgId, options.projectId, generated.prefix, generated.secretSha256],
    );
    const row = rows[0];
    if (!row) throw new Error('demo API key not created');
    await client.query(
      `INSERT INTO audit_logs (org_id, actor_sub, action, target_type, target_id, details)
       VALUES ($1, $2, 'api_key.create', 'api_key', $3, $4)`,
      [row.org_id, ACTOR, row.id, JSON.stringify({ name: 'demo key', prefix: row.prefix })],
    );
    const item = await enqueueKeyUpsert(client, row, new Date());
    return { key: generated.key, row, item };
  });
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: options.dynamoEndpoint });
  try {
    const item = state.item ?? {
      prefix: state.row.prefix,
      key_id: state.row.id,
      org_id: state.row.org_id,
      project_id: state.row.project_id,
      secret_sha256: state.row.secret_sha256.toString('hex'),
      status: state.row.status,
      version: 1,
      updated_at: new Date(1).toISOString(),
    };
    // A restart re-puts a version-1 item only if DynamoDB lost it (a newer version always wins).
    await dynamoKeyCacheWriter(dynamo, options.keyTableName).put(item);
  } finally {
    dynamo.destroy();
  }
  if (state.item) {
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify({ key: state.key, projectId: options.projectId })}\n`, {
      mode: 0o600,
    });
  }
  return state.key;
}
