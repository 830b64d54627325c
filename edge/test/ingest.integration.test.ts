// Edge ingest end to end through real SDK clients: dynalite keys, local Firehose, local S3 landing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validateEnvelope } from '../../contract/index.ts';
import { type Harness, postEvents, putTestKey, sampleEvent, startHarness, type TestKey } from './harness.ts';

let harness: Harness;
let key: TestKey;

beforeAll(async () => {
  harness = await startHarness({
    dynamoEndpoint: inject('dynamoEndpoint'),
    keyTableName: inject('keyTableName'),
  });
  key = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
});
afterAll(async () => harness?.stop());

describe('POST /v1/events', () => {
  it('accepts a valid batch with 202 and lands exactly those events, org and project from the key', async () => {
    const events = [
      sampleEvent(),
      sampleEvent({ status: 'error', error: { type: 'timeout', message: 'x' } }),
    ];
    const res = await postEvents(harness.url, key.key, JSON.stringify({ events }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: unknown[]; request_id: string };
    expect(body).toEqual({ accepted: 2, rejected: [], request_id: res.headers.get('x-request-id') });
    const landed = (await harness.landedEnvelopes()).filter((e) => e.request_id === body.request_id);
    expect(landed.map((e) => e.event)).toEqual(events);
    for (const envelope of landed) {
      expect(validateEnvelope(envelope).ok).toBe(true);
      expect(envelope).toMatchObject({
        v: 1,
        org_id: key.orgId,
        project_id: key.projectId,
        key_id: key.keyId,
      });
    }
    const keys = await harness.landedKeys();
    expect(
      keys.every((k) =>
        /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/llmo-events-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/.test(
          k,
        ),
      ),
    ).toBe(true);
    const notified = harness.notifications.flatMap((n) =>
      n.Records.map((r) => decodeURIComponent(r.s3.object.key)),
    );
    expect(notified.sort()).toEqual([...keys].sort());
  });
});
