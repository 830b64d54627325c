// Key cache against real DynamoDB (dynalite): revocation reaches the edge; DynamoDB down → documented behaviour.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateApiKey } from '../../contract/index.ts';
import { ensureKeyTable, type LocalDynamo, startDynalite } from '../../infra/local/dynamo.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
import { type Harness, manualClock, postEvents, putTestKey, sampleEvent, startHarness } from './harness.ts';

const body = () => JSON.stringify({ events: [sampleEvent()] });
const statusOf = async (url: string, key: string) => {
  const res = await postEvents(url, key, body());
  await res.arrayBuffer();
  return res.status;
};

describe('revocation', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      dynamoEndpoint: inject('dynamoEndpoint'),
      keyTableName: inject('keyTableName'),
    });
  });
  afterAll(async () => harness?.stop());

  it('a key revoked in DynamoDB is refused within the positive TTL (polled, bounded)', async () => {
    const key = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
    expect(await statusOf(harness.url, key.key)).toBe(202);
    await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'), 'revoked', key);
    let status = 202;
    for (let i = 0; i < 100 && status === 202; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await statusOf(harness.url, key.key);
    }
    expect(status).toBe(401);
  });

  it('a key created after a "no such key" answer works once the negative TTL has passed', async () => {
    const generated = generateApiKey(TEST_KEY_TAG);
    expect(await statusOf(harness.url, generated.key)).toBe(401);
    await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'), 'active', {
      ...generated,
      keyId: crypto.randomUUID(),
      orgId: crypto.randomUUID(),
      projectId: crypto.randomUUID(),
    });
    let status = 401;
    for (let i = 0; i < 100 && status === 401; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await statusOf(harness.url, generated.key);
    }
    expect(status).toBe(202);
  });
});

describe('DynamoDB down', () => {
  let dynamo: LocalDynamo;
  let harness: Harness;
  const table = 'llmo-api-keys-outage';
  const clock = manualClock();

  beforeAll(async () => {
    dynamo = await startDynalite({ port: 0 });
    await ensureKeyTable(dynamo.endpoint, table);
    harness = await startHarness({
      dynamoEndpoint: dynamo.endpoint,
      keyTableName: table,
      keyCache: { positiveTtlMs: 200, negativeTtlMs: 100, staleIfErrorMs: 4_000, lookupTimeoutMs: 200 },
      now: clock.now,
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await dynamo?.stop().catch(() => undefined);
  });

  it('serves a recently valid key for the stale window only; never a revoked one; unknown keys get 503', async () => {
    const active = await putTestKey(dynamo.endpoint, table);
    const revoked = await putTestKey(dynamo.endpoint, table, 'revoked');
    expect(await statusOf(harness.url, active.key)).toBe(202);
    expect(await statusOf(harness.url, revoked.key)).toBe(401);
    await dynamo.stop();
    clock.advance(300); // past the positive TTL: every lookup now fails
    expect(await statusOf(harness.url, active.key)).toBe(202); // stale, within the window
    expect(await statusOf(harness.url, revoked.key)).toBe(401);
    const unknown = await postEvents(harness.url, generateApiKey(TEST_KEY_TAG).key, body());
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get('retry-after')).toBe('1');
    clock.advance(4_100); // past the stale window
    expect(await statusOf(harness.url, active.key)).toBe(503);
  });
});
