// The S3 and Firehose stand-ins through the real AWS SDK clients: landing, naming, notification redelivery.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FirehoseClient, PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3EventNotification } from '../../../contract/index.ts';
import { createFirehosePutRecordBatch } from '../../../edge/src/sink/firehose-client.ts';
import { LOCAL_AWS } from '../dynamo.ts';
import { localS3Client } from '../firehose.ts';
import { type LocalFirehoseServer, startFirehoseServer } from '../firehose-server.ts';
import { type LocalS3Server, startS3Server } from '../s3-server.ts';
import { createSigner } from './sdk-signer.ts';

let dir: string;
let s3: LocalS3Server;
let s3Client: S3Client;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-standins-'));
  s3 = await startS3Server({ port: 0, dataDir: dir, buckets: ['landing'] });
  s3Client = localS3Client(s3.endpoint);
});
afterAll(async () => {
  s3Client?.destroy();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('S3 stand-in', () => {
  it('puts, heads, gets (streaming), lists with prefixes and pages, and deletes objects', async () => {
    const keys = ['a/1.txt', 'a/2.txt', 'b/3 with space.txt'];
    for (const Key of keys) {
      await s3Client.send(
        new PutObjectCommand({ Bucket: 'landing', Key, Body: `body of ${Key}`, ContentType: 'text/plain' }),
      );
    }
    const head = await s3Client.send(new HeadObjectCommand({ Bucket: 'landing', Key: 'a/1.txt' }));
    expect(head.ContentLength).toBe('body of a/1.txt'.length);
    const got = await s3Client.send(new GetObjectCommand({ Bucket: 'landing', Key: 'b/3 with space.txt' }));
    expect(await got.Body?.transformToString()).toBe('body of b/3 with space.txt');
    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: 'landing', Prefix: 'a/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['a/1.txt', 'a/2.txt']);
    const page = await s3Client.send(new ListObjectsV2Command({ Bucket: 'landing', MaxKeys: 2 }));
    expect(page.IsTruncated).toBe(true);
    const rest = await s3Client.send(
      new ListObjectsV2Command({ Bucket: 'landing', ContinuationToken: page.NextContinuationToken }),
    );
    expect(rest.Contents?.map((c) => c.Key)).toEqual(['b/3 with space.txt']);
    await s3Client.send(new DeleteObjectCommand({ Bucket: 'landing', Key: 'a/2.txt' }));
    await expect(
      s3Client.send(new GetObjectCommand({ Bucket: 'landing', Key: 'a/2.txt' })),
    ).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });
});

describe('Firehose stand-in', () => {
  let firehose: LocalFirehoseServer;
  let client: FirehoseClient;
  const notifications: S3EventNotification[] = [];
  let failNotifications = 2;

  beforeAll(async () => {
    firehose = await startFirehoseServer({
      port: 0,
      streams: ['events'],
      bucket: 'landing',
      bufferIntervalMs: 100,
      credentials: LOCAL_AWS.credentials,
      land: async (key, body) => {
        const out = await s3Client.send(new PutObjectCommand({ Bucket: 'landing', Key: key, Body: body }));
        return { etag: (out.ETag ?? '').replaceAll('"', '') };
      },
      notify: async (event) => {
        if (failNotifications-- > 0) throw new Error('consumer down');
        notifications.push(event);
      },
    });
    client = new FirehoseClient({ ...LOCAL_AWS, endpoint: firehose.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await firehose?.stop();
  });

  it('takes PutRecordBatch and PutRecord from the SDK, lands one gzip object named like Firehose, notifies at least once', async () => {
    const batch = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'events',
        Records: [{ Data: Buffer.from('{"n":1}\n') }, { Data: Buffer.from('{"n":2}\n{"n":3}\n') }],
      }),
    );
    expect(batch.FailedPutCount).toBe(0);
    expect(batch.RequestResponses).toHaveLength(2);
    await client.send(
      new PutRecordCommand({ DeliveryStreamName: 'events', Record: { Data: Buffer.from('{"n":4}\n') } }),
    );
    await firehose.flush();
    const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: 'landing', Prefix: '20' }));
    const key = listed.Contents?.[0]?.Key ?? '';
    expect(key).toMatch(
      /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/events-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/,
    );
    const object = await s3Client.send(new GetObjectCommand({ Bucket: 'landing', Key: key }));
    const text = gunzipSync(Buffer.from((await object.Body?.transformToByteArray()) ?? [])).toString();
    expect(text).toBe('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
    // Two failed deliveries, then the redelivery succeeded.
    expect(notifications).toHaveLength(1);
    const record = notifications[0]?.Records[0];
    expect(record?.eventName).toBe('ObjectCreated:Put');
    expect(record?.s3.bucket.name).toBe('landing');
    expect(decodeURIComponent(record?.s3.object.key ?? '')).toBe(key);
  });

  it('injects faults: failed records, throttled calls, unknown streams', async () => {
    firehose.faults.recordFailureRate = 1;
    const failed = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'events', Records: [{ Data: Buffer.from('x\n') }] }),
    );
    expect(failed.FailedPutCount).toBe(1);
    expect(failed.RequestResponses?.[0]?.ErrorCode).toBe('ServiceUnavailableException');
    firehose.faults.recordFailureRate = 0;
    firehose.faults.throttleRate = 1;
    await expect(
      client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: 'events', Records: [{ Data: Buffer.from('x\n') }] }),
      ),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableException' });
    firehose.faults.throttleRate = 0;
    await expect(
      client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: 'nope', Records: [{ Data: Buffer.from('x\n') }] }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('checks SigV4 as AWS does: the SDK and the edge client pass; wrong keys, tampered bodies, stale or missing signatures fail', async () => {
    const batch = (stream = 'events') =>
      new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: [{ Data: Buffer.from('s\n') }] });
    const wrongSecret = new FirehoseClient({
      ...LOCAL_AWS,
      credentials: { accessKeyId: 'local', secretAccessKey: 'not-the-secret' },
      endpoint: firehose.endpoint,
      maxAttempts: 1,
    });
    const wrongKey = new FirehoseClient({
      ...LOCAL_AWS,
      credentials: { accessKeyId: 'someone-else', secretAccessKey: 'local' },
      endpoint: firehose.endpoint,
      maxAttempts: 1,
    });
    try {
      await expect(wrongSecret.send(batch())).rejects.toMatchObject({ name: 'InvalidSignatureException' });
      await expect(wrongKey.send(batch())).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      wrongSecret.destroy();
      wrongKey.destroy();
    }

    const edgeOptions = {
      region: LOCAL_AWS.region,
      streamName: 'events',
      endpoint: firehose.endpoint,
      requestTimeoutMs: 5_000,
    };
    const good = createFirehosePutRecordBatch({ ...edgeOptions, credentials: LOCAL_AWS.credentials });
    const bad = createFirehosePutRecordBatch({
      ...edgeOptions,
      credentials: { accessKeyId: 'local', secretAccessKey: 'x' },
    });
    try {
      const signal = AbortSignal.timeout(5_000);
      expect(await good([Buffer.from('e1\n'), Buffer.from('e2\n')], signal)).toEqual([
        { ok: true },
        { ok: true },
      ]);
      await expect(bad([Buffer.from('e3\n')], signal)).rejects.toMatchObject({
        name: 'InvalidSignatureException',
        status: 403,
      });
    } finally {
      good.destroy();
      bad.destroy();
    }

    const url = new URL(firehose.endpoint);
    const body = Buffer.from('{"DeliveryStreamName":"events","Records":[{"Data":"eA=="}]}');
    const sign = async (signingDate = new Date()) =>
      (
        await createSigner('firehose', LOCAL_AWS.region, LOCAL_AWS.credentials).sign(
          {
            method: 'POST',
            protocol: 'http:',
            hostname: url.hostname,
            port: Number(url.port),
            path: '/',
            query: {},
            headers: {
              host: url.host,
              'content-type': 'application/x-amz-json-1.1',
              'x-amz-target': 'Firehose_20150804.PutRecordBatch',
            },
            body,
          },
          { signingDate },
        )
      ).headers;
    const post = async (headers: Record<string, string>, payload: Buffer) => {
      const { host: _host, ...rest } = headers;
      const response = await fetch(firehose.endpoint, {
        method: 'POST',
        headers: rest,
        body: new Uint8Array(payload),
      });
      return { status: response.status, type: ((await response.json()) as { __type?: string }).__type };
    };
    expect(await post(await sign(), body)).toMatchObject({ status: 200 });
    const tampered = Buffer.from(body.toString().replace('eA==', 'eQ=='));
    expect(await post(await sign(), tampered)).toEqual({ status: 400, type: 'XAmzContentSHA256Mismatch' });
    const { 'x-amz-content-sha256': _hash, ...withoutHash } = await sign();
    expect(await post(withoutHash, tampered)).toEqual({ status: 403, type: 'InvalidSignatureException' });
    expect(await post(await sign(new Date(Date.now() - 20 * 60_000)), body)).toEqual({
      status: 403,
      type: 'InvalidSignatureException',
    });
    expect(
      await post(
        { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Firehose_20150804.PutRecordBatch' },
        body,
      ),
    ).toEqual({ status: 403, type: 'MissingAuthenticationTokenException' });
  });
});

describe('Firehose stand-in under backpressure', () => {
  it('answers ServiceUnavailableException (503) while landing is behind, 200 again once it caught up', async () => {
    let down = true;
    const changes: boolean[] = [];
    const firehose = await startFirehoseServer({
      port: 0,
      streams: ['events'],
      bucket: 'landing',
      bufferBytes: 4,
      // Two calls of 6 and 3 bytes fit; the third waits for landing.
      maxUnlandedBytes: 9,
      credentials: LOCAL_AWS.credentials,
      land: async (key, body) => {
        if (down) throw new Error('S3 down');
        const out = await s3Client.send(new PutObjectCommand({ Bucket: 'landing', Key: key, Body: body }));
        return { etag: (out.ETag ?? '').replaceAll('"', '') };
      },
      onBackpressure: (_stream, refusing) => changes.push(refusing),
    });
    const put = createFirehosePutRecordBatch({
      region: LOCAL_AWS.region,
      streamName: 'events',
      endpoint: firehose.endpoint,
      credentials: LOCAL_AWS.credentials,
      requestTimeoutMs: 5_000,
    });
    try {
      const signal = AbortSignal.timeout(30_000);
      expect(await put([Buffer.from('b1\n'), Buffer.from('b2\n')], signal)).toEqual([
        { ok: true },
        { ok: true },
      ]);
      expect(await put([Buffer.from('b3\n')], signal)).toEqual([{ ok: true }]);
      await expect(put([Buffer.from('b4\n')], signal)).rejects.toMatchObject({
        name: 'ServiceUnavailableException',
        status: 503,
      });
      expect(changes).toEqual([true]);
      down = false;
      expect(await firehose.flush()).toBe(true);
      expect(await put([Buffer.from('b5\n')], signal)).toEqual([{ ok: true }]);
      expect(changes).toEqual([true, false]);
    } finally {
      put.destroy();
      await firehose.stop();
    }
  });
});
