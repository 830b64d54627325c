// Floods of made-up keys against a real edge and DynamoDB (dynalite): forged keys are refused unread,
// a new key gets through on its first try, and lookups past the gate's bounds are shed with 503 + Retry-After.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assembleApiKey, newKeyTagSecret } from '../../contract/index.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
import { type Harness, postEvents, putTestKey, sampleEvent, startHarness } from './harness.ts';

const body = () => JSON.stringify({ events: [sampleEvent()] });
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base62 = (n: number) =>
  Array.from({ length: n }, () => BASE62[Math.floor(Math.random() * 62)]).join('');

/** Sends `count` requests at once, each with a key never seen before, and collects status + headers. */
async function flood(url: string, count: number, tag: { version: string; secret: string }) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await postEvents(url, assembleApiKey(base62(12), base62(30), tag).key, body());
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
    }),
  );
}

describe('a flood of made-up keys', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      dynamoEndpoint: inject('dynamoEndpoint'),
      keyTableName: inject('keyTableName'),
      // A tiny gate, so a few concurrent unknown prefixes already saturate it.
      keyCache: { maxConcurrentLookups: 1, maxQueuedLookups: 2 },
    });
  });
  afterAll(async () => harness?.stop());

  it('refuses forged keys with 401 and lets a never-seen valid key in on its first try meanwhile', async () => {
    const fresh = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
    const forger = { version: TEST_KEY_TAG.version, secret: newKeyTagSecret() };
    const [forged, first] = await Promise.all([
      flood(harness.url, 300, forger),
      postEvents(harness.url, fresh.key, body()).then(async (res) => ({
        status: res.status,
        body: await res.json(),
      })),
    ]);
    expect(new Set(forged.map((r) => r.status))).toEqual(new Set([401]));
    expect(new Set(forged.map((r) => r.body.error.code))).toEqual(new Set(['invalid_api_key']));
    expect(first).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it('answers unknown prefixes past the lookup bounds 503 with Retry-After, never another 5xx', async () => {
    // Keys tagged with the edge's own secret (as if it had leaked): each one needs a lookup.
    const answers = await flood(harness.url, 60, TEST_KEY_TAG);
    for (const a of answers) {
      expect([401, 503]).toContain(a.status);
      if (a.status === 503) {
        expect(a.retryAfter).toBe('1');
        expect(a.body.error.code).toBe('unavailable');
      } else expect(a.body.error.code).toBe('invalid_api_key');
    }
    // And the edge still answers a real key once the flood is over.
    const key = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
    const res = await postEvents(harness.url, key.key, body());
    expect(res.status).toBe(202);
    await res.arrayBuffer();
  });
});
