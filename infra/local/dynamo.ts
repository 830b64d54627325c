// Starts dynalite (a DynamoDB-compatible server) and creates the edge's API-key cache table.

import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { listenLocal } from './listen.ts';
import { privateDir } from './private-fs.ts';

/** Credentials the local stand-ins accept; they are not secrets (nothing checks them). */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/** A running dynalite server. */
export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1:`port` (0 = any free port); `dataDir` persists tables, omitted = in memory. */
export async function startDynalite(options: { port: number; dataDir?: string }): Promise<LocalDynamo> {
  // The key records (digests, org ids) live in LevelDB files under it: owner-only.
  if (options.dataDir) await privateDir(options.dataDir);
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  const listening = await listenLocal(server, options.port);
  return { endpoint: `http://127.0.0.1:${listening.port}`, stop: listening.close };
}

/** Creates the key-cache table (partition key `prefix`) unless it exists. */
export async function ensureKeyTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'prefix', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'prefix', KeyType: 'HASH' }],
      }),
    );
  } finally {
    client.destroy();
  }
}
