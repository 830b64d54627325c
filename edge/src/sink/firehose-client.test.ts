// The PutRecordBatch wire format: the body is the JSON the SDK would send; answers map to outcomes and errors.
import { describe, expect, it } from 'vitest';
import { callErrorOf, outcomesOf, recordBatchBody } from './firehose-client.ts';

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

describe('outcomesOf', () => {
  it('maps per-record results in order', () => {
    const answer = Buffer.from(
      '{"FailedPutCount":1,"RequestResponses":[{"RecordId":"a"},{"ErrorCode":"ServiceUnavailableException","ErrorMessage":"Slow down."}]}',
    );
    expect(outcomesOf(answer, 2)).toEqual([
      { ok: true },
      { ok: false, errorCode: 'ServiceUnavailableException' },
    ]);
  });

  it('counts every record as failed when the answer is not JSON, has the wrong length or odd entries', () => {
    const failed = { ok: false, errorCode: 'MalformedResponse' };
    expect(outcomesOf(Buffer.from('<html>'), 2)).toEqual([failed, failed]);
    expect(outcomesOf(Buffer.from('{"RequestResponses":[{"RecordId":"a"}]}'), 2)).toEqual([failed, failed]);
    expect(outcomesOf(Buffer.from('{"RequestResponses":[null,{"RecordId":"b"}]}'), 2)).toEqual([
      failed,
      { ok: true },
    ]);
  });
});

describe('callErrorOf', () => {
  it('names the error by the awsJson error type from the header or the body', () => {
    const body = Buffer.from('{"__type":"com.amazon#ResourceNotFoundException","message":"no stream"}');
    expect(callErrorOf(400, undefined, body)).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'no stream',
      status: 400,
    });
    expect(
      callErrorOf(503, 'ServiceUnavailableException:http://internal.amazon.com/', Buffer.from('{}')),
    ).toMatchObject({ name: 'ServiceUnavailableException', status: 503 });
  });

  it('falls back to the HTTP status for answers that are not awsJson errors', () => {
    expect(callErrorOf(502, undefined, Buffer.from('<html>bad gateway</html>'))).toMatchObject({
      name: 'Http502',
      message: 'PutRecordBatch answered HTTP 502',
    });
  });
});
