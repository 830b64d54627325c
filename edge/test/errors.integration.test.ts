// Every row of the ingest API's status table through the real server and SDK clients.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
import {
  type Harness,
  manualClock,
  postEvents,
  putTestKey,
  sampleEvent,
  startHarness,
  type TestKey,
} from './harness.ts';

let harness: Harness;
let key: TestKey;
let revoked: TestKey;

beforeAll(async () => {
  harness = await startHarness({
    dynamoEndpoint: inject('dynamoEndpoint'),
    keyTableName: inject('keyTableName'),
  });
  key = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
  revoked = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'), 'revoked');
});
afterAll(async () => harness?.stop());

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('x-request-id')).toBeTruthy();
  const body = (await res.json()) as { error: { code: string }; rejected?: unknown[] };
  expect(body.error.code).toBe(code);
  return body;
}

const batch = (events: unknown[]) => JSON.stringify({ events });

describe('ingest status table', () => {
  it('202 with per-event results for a mixed batch; only the valid events land', async () => {
    const good = sampleEvent();
    const bad = sampleEvent({ usage: { input_tokens: 'many' } });
    const res = await postEvents(harness.url, key.key, batch([bad, good]));
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      rejected: Array<{ index: number; event_id: string; errors: unknown[] }>;
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([
      { index: 0, event_id: bad.event_id, errors: [expect.objectContaining({ path: 'usage.input_tokens' })] },
    ]);
    const landed = (await harness.landedEnvelopes()).map((e) => e.event.event_id);
    expect(landed).toContain(good.event_id);
    expect(landed).not.toContain(bad.event_id);
  });

  it('202 for a gzip body', async () => {
    const event = sampleEvent();
    const res = await postEvents(harness.url, key.key, gzipSync(batch([event])), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(202);
    expect((await harness.landedEnvelopes()).map((e) => e.event.event_id)).toContain(event.event_id);
  });

  it('400 invalid_json, invalid_batch and all_events_rejected (with the per-event list)', async () => {
    await expectError(await postEvents(harness.url, key.key, '{"events":['), 400, 'invalid_json');
    await expectError(await postEvents(harness.url, key.key, '{"events":{}}'), 400, 'invalid_batch');
    await expectError(await postEvents(harness.url, key.key, batch([])), 400, 'invalid_batch');
    await expectError(
      await postEvents(harness.url, key.key, batch(new Array(1001).fill(sampleEvent()))),
      400,
      'invalid_batch',
    );
    const body = await expectError(
      await postEvents(harness.url, key.key, batch([{}, 1])),
      400,
      'all_events_rejected',
    );
    expect(body.rejected).toHaveLength(2);
  });

  it('401 missing, malformed and invalid keys; unknown and revoked answer identically', async () => {
    const events = batch([sampleEvent()]);
    await expectError(await postEvents(harness.url, undefined, events), 401, 'missing_api_key');
    await expectError(await postEvents(harness.url, 'not-a-key', events), 401, 'malformed_api_key');
    const typo = `${key.key.slice(0, -1)}${key.key.endsWith('x') ? 'y' : 'x'}`;
    await expectError(await postEvents(harness.url, typo, events), 401, 'malformed_api_key');
    const unknown = (await import('../../contract/index.ts')).generateApiKey(TEST_KEY_TAG).key;
    const a = await expectError(await postEvents(harness.url, unknown, events), 401, 'invalid_api_key');
    const b = await expectError(await postEvents(harness.url, revoked.key, events), 401, 'invalid_api_key');
    expect({ ...a, request_id: 0 }).toEqual({ ...b, request_id: 0 });
  });

  it('404 and 405 as JSON; health 200', async () => {
    await expectError(await fetch(`${harness.url}/v2/events`), 404, 'not_found');
    const notAllowed = await fetch(`${harness.url}/v1/events`);
    expect(notAllowed.headers.get('allow')).toBe('POST');
    await expectError(notAllowed, 405, 'method_not_allowed');
    const health = await fetch(`${harness.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBeTruthy();
  });

  it('413 for a body over 1 MiB as sent, a gzip bomb, and an oversized event', async () => {
    const big = batch([sampleEvent({ note: 'x'.repeat(1_100_000) })]);
    await expectError(await postEvents(harness.url, key.key, big), 413, 'payload_too_large');
    const bomb = gzipSync(Buffer.alloc(24 * 1024 * 1024, 0x20));
    await expectError(
      await postEvents(harness.url, key.key, bomb, { 'content-encoding': 'gzip' }),
      413,
      'payload_too_large',
    );
    const oneHuge = batch([sampleEvent({ note: 'y'.repeat(300_000) })]);
    await expectError(await postEvents(harness.url, key.key, oneHuge), 413, 'payload_too_large');
  });

  it('415 for other media types and encodings', async () => {
    const events = batch([sampleEvent()]);
    await expectError(
      await postEvents(harness.url, key.key, events, { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    await expectError(
      await postEvents(harness.url, key.key, events, { 'content-encoding': 'br' }),
      415,
      'unsupported_media_type',
    );
  });

  it('503 with Retry-After when Firehose does not take the batch in time, and nothing is acknowledged', async () => {
    harness.firehose.faults.throttleRate = 1;
    try {
      const event = sampleEvent();
      const res = await postEvents(harness.url, key.key, batch([event]));
      expect(res.headers.get('retry-after')).toBe('1');
      await expectError(res, 503, 'unavailable');
      expect((await harness.landedEnvelopes()).map((e) => e.event.event_id)).not.toContain(event.event_id);
    } finally {
      harness.firehose.faults.throttleRate = 0;
    }
  });

  it('429 with Retry-After for a key over its rate; other keys and later requests go through', async () => {
    // The edge's clock stands still between calls, however slowly a loaded machine makes them.
    const clock = manualClock();
    const limited = await startHarness({
      dynamoEndpoint: inject('dynamoEndpoint'),
      keyTableName: inject('keyTableName'),
      rateLimit: { requestsPerSecond: 1, burst: 2 },
      now: clock.now,
    });
    try {
      const first = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
      const other = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
      const send = (k: TestKey, event = sampleEvent()) => postEvents(limited.url, k.key, batch([event]));
      expect((await send(first)).status).toBe(202);
      expect((await send(first)).status).toBe(202);
      const refusedEvent = sampleEvent();
      const refused = await send(first, refusedEvent);
      expect(refused.headers.get('retry-after')).toBe('1');
      await expectError(refused, 429, 'rate_limited');
      expect((await limited.landedEnvelopes()).map((e) => e.event.event_id)).not.toContain(
        refusedEvent.event_id,
      );
      expect((await send(other)).status).toBe(202);
      clock.advance(1_000); // one token back
      expect((await send(first)).status).toBe(202);
    } finally {
      await limited.stop();
    }
  });
});
