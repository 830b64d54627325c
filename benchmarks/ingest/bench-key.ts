// One active API key for a benchmark, written straight into the key-cache table of a local DynamoDB.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type GeneratedApiKey, generateApiKey } from '../../contract/index.ts';
import { LOCAL_AWS } from '../../infra/local/dynamo.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';

/** Generates a key (test tag secret) and stores its record in `llmo-api-keys` at `endpoint`. */
export async function putBenchKey(endpoint: string): Promise<GeneratedApiKey> {
  const key = generateApiKey(TEST_KEY_TAG);
  const ddb = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  try {
    await DynamoDBDocumentClient.from(ddb).send(
      new PutCommand({
        TableName: 'llmo-api-keys',
        Item: {
          prefix: key.prefix,
          key_id: randomUUID(),
          org_id: randomUUID(),
          project_id: randomUUID(),
          secret_sha256: key.secretSha256.toString('hex'),
          status: 'active',
          version: Date.now(),
          updated_at: new Date().toISOString(),
        },
      }),
    );
  } finally {
    ddb.destroy();
  }
  return key;
}
