// Firehose faults: whatever fails, every 202'd event lands, and nothing is acknowledged that Firehose refused.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, postEvents, putTestKey, sampleEvent, startHarness, type TestKey } from './harness.ts';

let harness: Harness;
let key: TestKey;

beforeAll(async () => {
  harness = await startHarness({
    dynamoEndpoint: inject('dynamoEndpoint'),
    keyTableName: inject('keyTableName'),
    sink: { deadlineMs: 2_000, baseBackoffMs: 5, maxBackoffMs: 50 },
  });
  key = await putTestKey(inject('dynamoEndpoint'), inject('keyTableName'));
});
afterAll(async () => harness?.stop());

/** Sends `requests` batches of 3 events concurrently; returns which event ids were acknowledged and which not. */
async function sendMany(requests: number) {
  const batches = Array.from({ length: requests }, () => [sampleEvent(), sampleEvent(), sampleEvent()]);
  const answers = await Promise.all(
    batches.map(async (events) => {
      const res = await postEvents(harness.url, key.key, JSON.stringify({ events }));
      await res.arrayBuffer();
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        ids: events.map((e) => e.event_id as string),
      };
    }),
  );
  return answers;
}

describe('Firehose partial failures and throttling', () => {
  it('per-record failures: failed records are resent, every acknowledged event lands', async () => {
    harness.firehose.faults.recordFailureRate = 0.4;
    const failedBefore = harness.firehose.stats.recordsFailed;
    try {
      const answers = await sendMany(20);
      const landed = new Set((await harness.landedEnvelopes()).map((e) => e.event.event_id));
      for (const a of answers) {
        expect([202, 503]).toContain(a.status);
        if (a.status === 202) for (const id of a.ids) expect(landed.has(id)).toBe(true);
        else expect(a.retryAfter).toBe('1');
      }
      expect(answers.filter((a) => a.status === 202).length).toBeGreaterThan(0);
      expect(harness.firehose.stats.recordsFailed).toBeGreaterThan(failedBefore);
    } finally {
      harness.firehose.faults.recordFailureRate = 0;
    }
  });

  it('whole-call throttling: calls are retried, every acknowledged event lands', async () => {
    harness.firehose.faults.throttleRate = 0.5;
    harness.firehose.faults.failNextCalls = 1; // at least one call is throttled, whatever the dice say
    harness.firehose.faults.latencyMs = 20;
    try {
      const answers = await sendMany(15);
      const landed = new Set((await harness.landedEnvelopes()).map((e) => e.event.event_id));
      for (const a of answers)
        if (a.status === 202) for (const id of a.ids) expect(landed.has(id)).toBe(true);
      expect(answers.filter((a) => a.status === 202).length).toBeGreaterThan(0);
      expect(harness.firehose.stats.callsThrottled).toBeGreaterThan(0);
    } finally {
      harness.firehose.faults.throttleRate = 0;
      harness.firehose.faults.latencyMs = 0;
    }
  });

  it('a short outage (2 throttled calls) is absorbed: the request still gets 202', async () => {
    harness.firehose.faults.failNextCalls = 2;
    const event = sampleEvent();
    const res = await postEvents(harness.url, key.key, JSON.stringify({ events: [event] }));
    expect(res.status).toBe(202);
    expect((await harness.landedEnvelopes()).map((e) => e.event.event_id)).toContain(event.event_id);
  });

  it('an outage past the deadline answers 503 and the client may resend: duplicates are possible, loss is not', async () => {
    harness.firehose.faults.throttleRate = 1;
    const event = sampleEvent();
    const body = JSON.stringify({ events: [event] });
    const first = await postEvents(harness.url, key.key, body);
    expect(first.status).toBe(503);
    harness.firehose.faults.throttleRate = 0;
    const retry = await postEvents(harness.url, key.key, body);
    expect(retry.status).toBe(202);
    expect(
      (await harness.landedEnvelopes()).filter((e) => e.event.event_id === event.event_id).length,
    ).toBeGreaterThanOrEqual(1);
  });
});
