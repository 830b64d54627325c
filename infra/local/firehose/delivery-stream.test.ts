// Object keys are named as Firehose names them; records are concatenated as given.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeliveryStream, objectKeyFor } from './delivery-stream.ts';

describe('objectKeyFor', () => {
  it('is YYYY/MM/dd/HH/<stream>-1-<yyyy-MM-dd-HH-mm-ss>-<uuid>.gz in UTC', () => {
    const key = objectKeyFor('llmo-events', new Date('2026-03-04T05:06:07.890Z'));
    expect(key).toMatch(/^2026\/03\/04\/05\/llmo-events-1-2026-03-04-05-06-07-[0-9a-f-]{36}\.gz$/);
  });
});

describe('DeliveryStream', () => {
  it('flushes at the size hint, concatenating record data unchanged, then notifies', async () => {
    const landed: Buffer[] = [];
    const notified: string[] = [];
    const stream = new DeliveryStream({
      name: 's',
      bucket: 'b',
      region: 'us-east-1',
      bufferBytes: 10,
      bufferIntervalMs: 60_000,
      land: async (key, body) => {
        landed.push(body);
        return { etag: key };
      },
      notify: async (event) => void notified.push(event.Records[0]?.s3.object.key ?? ''),
    });
    stream.append(Buffer.from('{"a":1}\n'));
    stream.append(Buffer.from('{"b":2}\n'));
    await stream.drain();
    expect(landed.map((b) => gunzipSync(b).toString())).toEqual(['{"a":1}\n{"b":2}\n']);
    expect(notified).toHaveLength(1);
    await stream.stop();
  });
});
