// KeyStore over DynamoDB GetItem (lib-dynamodb) on the replica nearest to the running region.

import { Agent as HttpAgent } from 'node:http';
import { Agent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { parseKeyCacheItem } from '../../../contract/index.ts';
import { type KeyRecord, type KeyStore, KeyStoreUnavailableError } from './key-record.ts';

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

/** Converts a table item into a KeyRecord, or undefined when it is not a well-formed key-cache item. */
export function keyRecordFromItem(raw: Record<string, unknown> | undefined): KeyRecord | undefined {
  const item = parseKeyCacheItem(raw);
  if (!item) return undefined;
  return {
    keyId: item.key_id,
    orgId: item.org_id,
    projectId: item.project_id,
    secretSha256: Buffer.from(item.secret_sha256, 'hex'),
    status: item.status,
    version: item.version,
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
