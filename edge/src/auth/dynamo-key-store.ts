// KeyStore over DynamoDB GetItem (lib-dynamodb) on the replica nearest to the running region.

import { Agent as HttpAgent } from 'node:http';
import { Agent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type KeyRecord, type KeyStore, KeyStoreUnavailableError } from './key-record.ts';

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DIGEST_RE = /^[0-9a-f]{64}$/;

/** Options of the DynamoDB key store. */
export interface DynamoKeyStoreOptions {
  region: string;
  tableName: string;
  /** Local stack / tests only. */
  endpoint?: string;
  /** Local stack / tests only; in AWS the default provider chain reads the execution role. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeoutMs: number;
}

/** Converts a table item into a KeyRecord, or undefined when the item is not a well-formed key record. */
export function keyRecordFromItem(item: Record<string, unknown> | undefined): KeyRecord | undefined {
  if (!item) return undefined;
  const { key_id, org_id, project_id, secret_sha256, status, version } = item;
  if (typeof key_id !== 'string' || !UUID_RE.test(key_id)) return undefined;
  if (typeof org_id !== 'string' || !UUID_RE.test(org_id)) return undefined;
  if (typeof project_id !== 'string' || !UUID_RE.test(project_id)) return undefined;
  if (typeof secret_sha256 !== 'string' || !DIGEST_RE.test(secret_sha256)) return undefined;
  if (status !== 'active' && status !== 'revoked') return undefined;
  return {
    keyId: key_id,
    orgId: org_id,
    projectId: project_id,
    secretSha256: Buffer.from(secret_sha256, 'hex'),
    status,
    version: typeof version === 'number' ? version : 0,
  };
}

/** Creates a KeyStore reading `tableName` with eventually consistent GetItem (a replica read is enough). */
export function createDynamoKeyStore(options: DynamoKeyStoreOptions): KeyStore & { destroy(): void } {
  const agentOptions = { keepAlive: true, maxSockets: 50 };
  const client = new DynamoDBClient({
    region: options.region,
    maxAttempts: 2,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Keep-alive sockets survive across invocations of a warm Lambda instance.
    requestHandler: {
      connectionTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new Agent(agentOptions),
    },
  });
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async get(prefix) {
      try {
        const out = await documents.send(new GetCommand({ TableName: options.tableName, Key: { prefix } }), {
          abortSignal: AbortSignal.timeout(options.timeoutMs * 2),
        });
        return keyRecordFromItem(out.Item);
      } catch (error) {
        throw new KeyStoreUnavailableError('key store read failed', { cause: error });
      }
    },
    destroy: () => client.destroy(),
  };
}
