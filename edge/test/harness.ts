// Integration-test harness: real S3 and Firehose stand-ins, a real edge server, keys written to dynalite.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type EnvelopeV1,
  generateApiKey,
  keyCacheItem,
  type S3EventNotification,
} from '../../contract/index.ts';
import { LOCAL_AWS } from '../../infra/local/dynamo.ts';
import { localEdgeConfig, startEdgeServer } from '../../infra/local/edge.ts';
import type { FirehoseFaults } from '../../infra/local/firehose/faults.ts';
import { localS3Client } from '../../infra/local/firehose.ts';
import { type LocalFirehoseServer, startFirehoseServer } from '../../infra/local/firehose-server.ts';
import { startS3Server } from '../../infra/local/s3-server.ts';
import { TEST_KEY_TAG, TEST_KEY_TAG_SECRETS } from '../../infra/testing/key-tag.ts';
import type { EdgeConfig } from '../src/config.ts';

export { sampleEvent } from './events.ts';

const gunzipAsync = promisify(gunzip);

/** A key written to the DynamoDB key table (the edge's only source of truth). */
export interface TestKey {
  key: string;
  prefix: string;
  keyId: string;
  orgId: string;
  projectId: string;
}

/** Writes a key-cache item for a fresh key; `status` lets tests make revoked keys. */
export async function putTestKey(
  dynamoEndpoint: string,
  tableName: string,
  status: 'active' | 'revoked' = 'active',
  existing?: TestKey & { secretSha256: Buffer },
): Promise<TestKey & { secretSha256: Buffer }> {
  const generated = existing ?? {
    ...generateApiKey(TEST_KEY_TAG),
    keyId: randomUUID(),
    orgId: randomUUID(),
    projectId: randomUUID(),
  };
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint });
  try {
    await DynamoDBDocumentClient.from(client).send(
      new PutCommand({
        TableName: tableName,
        Item: keyCacheItem(
          {
            id: generated.keyId,
            org_id: generated.orgId,
            project_id: generated.projectId,
            prefix: generated.prefix,
            secret_sha256: generated.secretSha256,
            status,
          },
          Date.now(),
        ),
      }),
    );
  } finally {
    client.destroy();
  }
  return generated;
}

/** Everything an edge integration test talks to. */
export interface Harness {
  url: string;
  firehose: LocalFirehoseServer;
  notifications: S3EventNotification[];
  /** Lands everything buffered and returns every envelope line found in the landing bucket. */
  landedEnvelopes(): Promise<EnvelopeV1[]>;
  /** Object keys in the landing bucket. */
  landedKeys(): Promise<string[]>;
  stop(): Promise<void>;
}

const BUCKET = 'llmo-landing';
const STREAM = 'llmo-events';

/** Starts S3 + Firehose stand-ins and an edge server wired to them and to `dynamoEndpoint`. */
export async function startHarness(options: {
  dynamoEndpoint: string;
  keyTableName: string;
  faults?: Partial<FirehoseFaults>;
  keyCache?: Partial<EdgeConfig['keyCache']>;
  sink?: Partial<EdgeConfig['sink']>;
  rateLimit?: Partial<EdgeConfig['rateLimit']>;
  /** The edge's clock; a {@link manualClock} lets a test step past a TTL or a rate window without sleeping. */
  now?: () => number;
}): Promise<Harness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-edge-'));
  const s3 = await startS3Server({ port: 0, dataDir: dir, buckets: [BUCKET] });
  const s3Client = localS3Client(s3.endpoint);
  const notifications: S3EventNotification[] = [];
  const firehose = await startFirehoseServer({
    port: 0,
    streams: [STREAM],
    bucket: BUCKET,
    bufferIntervalMs: 50,
    // The edge's own SigV4 signing is checked on every call, as Firehose would.
    credentials: LOCAL_AWS.credentials,
    ...(options.faults ? { faults: options.faults } : {}),
    land: async (key, body) => {
      const out = await s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
      return { etag: (out.ETag ?? '').replaceAll('"', '') };
    },
    notify: async (event) => void notifications.push(event),
  });
  const edge = await startEdgeServer({
    port: 0,
    ...(options.now ? { now: options.now } : {}),
    config: localEdgeConfig({
      streamName: STREAM,
      keyTableName: options.keyTableName,
      firehoseEndpoint: firehose.endpoint,
      dynamoEndpoint: options.dynamoEndpoint,
      keyTagSecrets: TEST_KEY_TAG_SECRETS,
      logLevel: 'silent',
      ...(options.keyCache ? { keyCache: options.keyCache } : {}),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      sink: { deadlineMs: 3_000, ...options.sink },
    }),
  });
  const landedKeys = async () => {
    const out = await s3Client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (out.Contents ?? []).map((c) => c.Key ?? '');
  };
  return {
    url: edge.url,
    firehose,
    notifications,
    landedKeys,
    async landedEnvelopes() {
      await firehose.flush();
      const envelopes: EnvelopeV1[] = [];
      for (const key of await landedKeys()) {
        const out = await s3Client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        const bytes = Buffer.from((await out.Body?.transformToByteArray()) ?? []);
        const text = (await gunzipAsync(bytes)).toString('utf8');
        for (const line of text.split('\n')) if (line) envelopes.push(JSON.parse(line) as EnvelopeV1);
      }
      return envelopes;
    },
    async stop() {
      await edge.stop();
      await firehose.stop();
      s3Client.destroy();
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A clock that stands still until the test moves it (starts at the real time, so event timestamps stay plausible). */
export function manualClock(): { now: () => number; advance(ms: number): void } {
  let t = Date.now();
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** POSTs a batch to the edge. */
export function postEvents(
  url: string,
  key: string | undefined,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}
