// The hand-written SigV4 signer gives exactly the SDK signer's headers for the edge's request shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSigner } from '../../../infra/local/firehose/sdk-signer.ts';
import { createPostSigner } from './sigv4.ts';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const word = (chars: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: min, maxLength: max });

const caseArb = fc.record({
  accessKeyId: word(ALNUM, 16, 20),
  secretAccessKey: word(`${ALNUM}/+`, 30, 40),
  sessionToken: fc.option(word(`${ALNUM}/+=`, 20, 200), { nil: undefined }),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'local-1'),
  service: fc.constantFrom('firehose', 'dynamodb'),
  host: fc.constantFrom('firehose.us-east-1.amazonaws.com', '127.0.0.1:4573', 'localhost:80'),
  target: fc.constantFrom('Firehose_20150804.PutRecordBatch', ' Firehose_20150804.PutRecord ', 'a  b\tc'),
  body: fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  at: fc.date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2035-12-31T23:59:59Z'),
    noInvalidDate: true,
  }),
});

describe('createPostSigner', () => {
  it('signs exactly as the SDK signer does (headers, date, payload hash, session token)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const credentials = {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        };
        const headers = {
          host: c.host,
          'content-type': 'application/x-amz-json-1.1',
          'content-length': String(c.body.byteLength),
          'x-amz-target': c.target,
        };
        const ours = await createPostSigner(c.service, c.region, credentials)(headers, c.body, c.at);
        const [hostname = '', port] = c.host.split(':');
        const sdk = await createSigner(c.service, c.region, credentials).sign(
          {
            method: 'POST',
            protocol: 'https:',
            hostname,
            ...(port === undefined ? {} : { port: Number(port) }),
            path: '/',
            query: {},
            headers: { ...headers },
            body: c.body,
          },
          { signingDate: c.at },
        );
        expect(ours).toEqual(sdk.headers);
      }),
      { numRuns: 300 },
    );
  });

  it('asks a credential provider on every call, so refreshed credentials are used', async () => {
    let calls = 0;
    const sign = createPostSigner('firehose', 'us-east-1', async () => {
      calls++;
      return {
        accessKeyId: `AKID${calls}`,
        secretAccessKey: `secret${calls}`,
        sessionToken: `token${calls}`,
      };
    });
    const at = new Date('2026-11-26T02:15:00Z');
    const first = await sign({ host: 'h' }, Buffer.from('x'), at);
    const second = await sign({ host: 'h' }, Buffer.from('x'), at);
    expect(first.authorization).toContain('Credential=AKID1/20261126/us-east-1/firehose/aws4_request');
    expect(second.authorization).toContain('Credential=AKID2/');
    expect(second['x-amz-security-token']).toBe('token2');
    // Same request, new secret: a different signature (the cached signing key is not reused).
    expect(second.authorization?.slice(-64)).not.toBe(first.authorization?.slice(-64));
  });
});
