// The natively built PutRecordBatch body is exactly the JSON the SDK would serialise.
import { describe, expect, it } from 'vitest';
import { recordBatchBody } from './firehose-client.ts';

describe('recordBatchBody', () => {
  it('equals JSON.stringify of the request with base64 data', () => {
    const records = [Buffer.from('{"a":1}\n'), Buffer.from('é\n'), Buffer.alloc(0), Buffer.from([0, 255, 7])];
    const body = recordBatchBody('llmo-events', records);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      DeliveryStreamName: 'llmo-events',
      Records: records.map((r) => ({ Data: r.toString('base64') })),
    });
    expect(body.toString('utf8')).toBe(
      JSON.stringify({
        DeliveryStreamName: 'llmo-events',
        Records: records.map((r) => ({ Data: r.toString('base64') })),
      }),
    );
  });
});
