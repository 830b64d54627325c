// Hostile input: whatever a client sends, the edge answers the right 4xx and never a 5xx or a crash.
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateApiKey } from '../../contract/index.ts';
import { TEST_KEY_TAG } from '../../infra/testing/key-tag.ts';
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
afterAll(async () => {
  // The server is still alive and healthy after everything below.
  const health = await fetch(`${harness.url}/v1/health`);
  expect(health.status).toBe(200);
  await harness?.stop();
});

async function answer(body: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await postEvents(harness.url, key.key, body, headers);
  const text = await res.text();
  expect(res.headers.get('x-request-id')).toBeTruthy();
  return { status: res.status, code: (JSON.parse(text) as { error?: { code: string } }).error?.code };
}

const valid = () => JSON.stringify({ events: [sampleEvent(), sampleEvent()] });

describe('hostile corpus', () => {
  it('malformed, truncated and non-JSON bodies → 400 invalid_json', async () => {
    const text = valid();
    const bodies = [
      '',
      '{',
      'nul',
      '{"events":[1,]}',
      '{"events":[{"a":1}',
      '{"events":[NaN]}',
      '{"events":[Infinity]}',
      "{'events':[]}",
      '{"events":[]}garbage',
      text.slice(0, text.length / 2),
      text.slice(0, -1),
      `\uFEFF${text}`,
    ];
    for (const body of bodies) expect(await answer(body)).toEqual({ status: 400, code: 'invalid_json' });
  });

  it('invalid UTF-8, truncated and corrupt gzip → 400 invalid_json', async () => {
    const utf8 = Buffer.from(valid());
    utf8[20] = 0xff;
    expect(await answer(utf8)).toEqual({ status: 400, code: 'invalid_json' });
    const gz = gzipSync(valid());
    expect(await answer(gz.subarray(0, gz.length - 10), { 'content-encoding': 'gzip' })).toEqual({
      status: 400,
      code: 'invalid_json',
    });
    const corrupt = Buffer.from(gz);
    const at = corrupt.length - 5;
    corrupt[at] = (corrupt[at] ?? 0) ^ 0xff;
    expect(await answer(corrupt, { 'content-encoding': 'gzip' })).toEqual({
      status: 400,
      code: 'invalid_json',
    });
    expect(await answer(valid(), { 'content-encoding': 'gzip' })).toEqual({
      status: 400,
      code: 'invalid_json',
    });
  });

  it('JSON that is not a batch, and 10k events → 400 invalid_batch', async () => {
    for (const body of ['[]', '"x"', 'null', '1', '{"events":null}', '{"event":[]}', '{"events":[]}']) {
      expect(await answer(body)).toEqual({ status: 400, code: 'invalid_batch' });
    }
    const many = JSON.stringify({ events: Array.from({ length: 10_000 }, () => ({ a: 1 })) });
    expect(await answer(many)).toEqual({ status: 400, code: 'invalid_batch' });
  });

  it('wrong types, NaN-like values and reserved keys → per-event rejection (400 all_events_rejected)', async () => {
    const events = [
      { ...sampleEvent(), duration_ms: 'NaN' },
      { ...sampleEvent(), usage: { input_tokens: 2 ** 60 } },
      { ...sampleEvent(), status: ['ok'] },
      [],
      null,
      'event',
    ];
    expect(await answer(JSON.stringify({ events }))).toEqual({ status: 400, code: 'all_events_rejected' });
    const proto = JSON.stringify({ events: [sampleEvent()] }).replace(
      '"attributes":{',
      '"attributes":{"__proto__":{"x":1},',
    );
    expect(await answer(proto)).toEqual({ status: 400, code: 'all_events_rejected' });
    const escaped = JSON.stringify({ events: [sampleEvent()] }).replace(
      '"sdk":',
      '"\\u0063onstructor":{},"sdk":',
    );
    expect(await answer(escaped)).toEqual({ status: 400, code: 'all_events_rejected' });
  });

  it('deep nesting is answered with a 4xx, not a stack overflow', async () => {
    const deep = `{"events":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}`;
    expect((await answer(deep)).status).toBeGreaterThanOrEqual(400);
    expect((await answer(deep)).status).toBeLessThan(500);
    const deepInEvent = JSON.stringify({ events: [sampleEvent()] }).replace(
      '"sdk":',
      `"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},"sdk":`,
    );
    expect((await answer(deepInEvent)).status).toBeLessThan(500);
  });

  it('huge strings and gzip bombs → 413', async () => {
    expect(await answer(JSON.stringify({ events: [sampleEvent({ model: 'm'.repeat(2_000_000) })] }))).toEqual(
      {
        status: 413,
        code: 'payload_too_large',
      },
    );
    const bomb = gzipSync(JSON.stringify({ events: [sampleEvent({ note: ' '.repeat(40_000_000) })] }));
    expect(await answer(bomb, { 'content-encoding': 'gzip' })).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('keys with a wrong checksum or odd shapes → 401 malformed_api_key, without a lookup', async () => {
    const good = generateApiKey(TEST_KEY_TAG).key;
    for (const bad of [
      `${good.slice(0, -2)}00`,
      good.toUpperCase(),
      `${good} extra`,
      `lok_${'a'.repeat(49)}`,
    ]) {
      const res = await postEvents(harness.url, bad, valid());
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed_api_key');
    }
  });

  it('odd header casing and spacing are accepted (raw HTTP)', async () => {
    const body = valid();
    const port = new URL(harness.url).port;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/events HTTP/1.1\r\nHost: x\r\nAUTHORIZATION:   bEaReR   ${key.key}  \r\n` +
            `Content-TYPE:Application/JSON ;  CHARSET=utf-8\r\ncontent-ENCODING:  IDENTITY \r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 202 Accepted');
    expect(raw.toLowerCase()).toContain('x-request-id:');
  });
});

describe('hostile fuzzing (fast-check)', () => {
  it('random bytes, random JSON and mutated batches never get a 5xx', async () => {
    const base = Buffer.from(valid());
    const mutated = fc
      .array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })
      .chain((flips) =>
        fc.nat({ max: base.length }).map((cut) => {
          const copy = Buffer.from(base.subarray(0, cut));
          for (const [at, byte] of flips) if (at < copy.length) copy[at] = byte;
          return copy;
        }),
      );
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify({ events: [v] }))),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      mutated,
    );
    const encodings = fc.constantFrom(undefined, 'gzip', 'identity', 'GZip', 'deflate');
    await fc.assert(
      fc.asyncProperty(bodies, encodings, fc.boolean(), async (body, encoding, zip) => {
        const sent = zip ? gzipSync(body) : body;
        const res = await postEvents(
          harness.url,
          key.key,
          sent,
          encoding ? { 'content-encoding': encoding } : {},
        );
        const text = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(() => JSON.parse(text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
