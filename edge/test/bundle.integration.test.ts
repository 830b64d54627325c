// The esbuild bundle itself, as Lambda@Edge would load it: a CloudFront event in, a generated response out.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_KEY_TAG_SECRETS } from '../../infra/testing/key-tag.ts';
import { buildEdge, edgeConfigFor } from '../build.ts';
import { type Harness, putTestKey, sampleEvent, startHarness, type TestKey } from './harness.ts';

let harness: Harness;
let key: TestKey;
let dir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  harness = await startHarness({
    dynamoEndpoint: inject('dynamoEndpoint'),
    keyTableName: inject('keyTableName'),
  });
  key = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
  dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-edge-bundle-'));
});
afterAll(async () => {
  process.env = savedEnv;
  await harness?.stop();
  await rm(dir, { recursive: true, force: true });
});

function cloudFrontEvent(body: string): CloudFrontRequestEvent {
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd1.cloudfront.net',
            distributionId: 'E1',
            eventType: 'origin-request',
            requestId: 'bundle-test-request',
          },
          request: {
            clientIp: '198.51.100.7',
            method: 'POST',
            uri: '/v1/events',
            querystring: '',
            headers: {
              host: [{ key: 'Host', value: 'ingest.example.com' }],
              authorization: [{ key: 'Authorization', value: `Bearer ${key.key}` }],
              'content-type': [{ key: 'Content-Type', value: 'application/json' }],
            },
            body: {
              action: 'read-only',
              encoding: 'base64',
              data: Buffer.from(body).toString('base64'),
              inputTruncated: false,
            },
          },
        },
      },
    ],
  } as unknown as CloudFrontRequestEvent;
}

describe('Lambda@Edge bundle', () => {
  it('loads with its baked-in configuration and ingests a batch end to end', async () => {
    const config = edgeConfigFor(
      {
        coreRegion: 'us-east-1',
        keyTableName: inject('keyTableName'),
        localEndpoints: { firehose: harness.firehose.endpoint, dynamo: inject('dynamoEndpoint') },
        keyTagSecrets: TEST_KEY_TAG_SECRETS,
        logLevel: 'silent',
      },
      'test',
    );
    const built = await buildEdge(config, dir);
    expect(built.gzipBytes).toBeLessThan(built.bytes);
    // What the Lambda runtime provides: the region and the execution role's credentials, as env vars.
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const mod = (await import(pathToFileURL(built.outfile).href)) as {
      handler: (event: CloudFrontRequestEvent) => Promise<CloudFrontResultResponse>;
    };
    const event = sampleEvent();
    const result = await mod.handler(cloudFrontEvent(JSON.stringify({ events: [event] })));
    expect(result.status).toBe('202');
    expect(result.headers?.['x-request-id']?.[0]?.value).toBe('bundle-test-request');
    const landed = (await harness.landedEnvelopes()).find((e) => e.event.event_id === event.event_id);
    expect(landed).toMatchObject({
      edge_region: 'eu-west-1',
      org_id: key.orgId,
      request_id: 'bundle-test-request',
    });
  });
});
