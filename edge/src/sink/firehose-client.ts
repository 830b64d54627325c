// PutRecordBatch as one SigV4-signed HTTPS request (the SDK's credential chain), keep-alive sockets.
//
// Why not `@aws-sdk/client-firehose`: its middleware stack, per-call retry/endpoint/user-agent machinery
// and response deserialiser cost ~1.8–2.1 ms of CPU per call here against ~0.8–0.9 ms for this
// request, and the edge makes one call per request on Lambda@Edge. What the SDK contributes that
// matters is kept: its default credential chain (the execution role's variables in Lambda) and its
// signatures (sigv4.ts signs as its signer does, held equal by a test). The wire request is the
// awsJson1_1 request the SDK sends; the local Firehose stand-in verifies its signature with the SDK's
// signer, and the SDK client itself is tested against that stand-in, so both speak the same protocol.
import http from 'node:http';
import https from 'node:https';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { PutRecordBatch, RecordOutcome } from './batching-sink.ts';
import { createPostSigner } from './sigv4.ts';

/** Options of the Firehose client. */
export interface FirehoseOptions {
  region: string;
  streamName: string;
  /** Local stack / tests only; in AWS `https://firehose.<region>.amazonaws.com`. */
  endpoint?: string;
  /** Local stack / tests only; in AWS the SDK's default chain reads the execution role. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Socket-level timeout per call. */
  requestTimeoutMs: number;
}

/** A whole call failed: `name` is the AWS error type (or a transport error), which the sink logs. */
export class FirehoseCallError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const TARGET = 'Firehose_20150804.PutRecordBatch';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** A PutRecordBatch answer lists ≤ 500 records of ~100 bytes: anything far larger is not one. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const DATA_OPEN = Buffer.from('{"Data":"');
const DATA_CLOSE = Buffer.from('"}');

/** `{"DeliveryStreamName":…,"Records":[{"Data":"<base64>"},…]}` as bytes, written in one buffer. */
export function recordBatchBody(streamName: string, records: readonly Buffer[]): Buffer {
  const head = Buffer.from(`{"DeliveryStreamName":${JSON.stringify(streamName)},"Records":[`);
  let size = head.length + 2 + Math.max(0, records.length - 1);
  for (const r of records) size += DATA_OPEN.length + 4 * Math.ceil(r.byteLength / 3) + DATA_CLOSE.length;
  const body = Buffer.allocUnsafe(size);
  let offset = head.copy(body, 0);
  records.forEach((r, i) => {
    if (i > 0) body[offset++] = 0x2c; // ,
    offset += DATA_OPEN.copy(body, offset);
    offset += body.write(r.toString('base64'), offset, 'latin1');
    offset += DATA_CLOSE.copy(body, offset);
  });
  body[offset++] = 0x5d; // ]
  body[offset++] = 0x7d; // }
  return body;
}

type PutRecordBatchAnswer = { RequestResponses?: Array<{ ErrorCode?: string | null }> };

/** Per-record outcomes of a 200 answer; a malformed one proves nothing was taken, so all count as failed. */
export function outcomesOf(answer: Buffer, count: number): RecordOutcome[] {
  let parsed: PutRecordBatchAnswer | undefined;
  try {
    parsed = JSON.parse(answer.toString('utf8')) as PutRecordBatchAnswer;
  } catch {
    parsed = undefined;
  }
  const responses = parsed?.RequestResponses;
  if (!Array.isArray(responses) || responses.length !== count) {
    return Array.from({ length: count }, () => ({ ok: false, errorCode: 'MalformedResponse' }));
  }
  return responses.map((r): RecordOutcome => {
    if (!r || typeof r !== 'object') return { ok: false, errorCode: 'MalformedResponse' };
    return r.ErrorCode ? { ok: false, errorCode: String(r.ErrorCode) } : { ok: true };
  });
}

/** The error of a non-200 answer: its awsJson error type (header or `__type`) and message. */
export function callErrorOf(
  status: number,
  errorType: string | undefined,
  answer: Buffer,
): FirehoseCallError {
  let body: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    body = JSON.parse(answer.toString('utf8')) as typeof body;
  } catch {
    // Not JSON (a proxy's page, say): the status alone names it.
  }
  // As the SDK reads it: `prefix#Type` or `Type:uri` both name `Type`.
  const type = (errorType ?? (typeof body.__type === 'string' ? body.__type : ''))
    .split(':')[0]
    ?.split('#')
    .pop();
  const message = body.message ?? body.Message;
  return new FirehoseCallError(
    type || `Http${status}`,
    typeof message === 'string' ? message : `PutRecordBatch answered HTTP ${status}`,
    status,
  );
}

/** A PutRecordBatch function over long-lived keep-alive sockets (reused across Lambda invocations). */
export function createFirehosePutRecordBatch(options: FirehoseOptions): PutRecordBatch & { destroy(): void } {
  const url = new URL(options.endpoint ?? `https://firehose.${options.region}.amazonaws.com`);
  const secure = url.protocol === 'https:';
  const agent = new (secure ? https : http).Agent({ keepAlive: true, maxSockets: 16 });
  const sign = createPostSigner('firehose', options.region, options.credentials ?? defaultProvider());
  const port = url.port ? Number(url.port) : undefined;

  const put = async (records: readonly Buffer[], signal: AbortSignal): Promise<RecordOutcome[]> => {
    const body = recordBatchBody(options.streamName, records);
    const headers = await sign(
      {
        host: url.host,
        'content-type': CONTENT_TYPE,
        'content-length': String(body.byteLength),
        'x-amz-target': TARGET,
      },
      body,
    );
    signal.throwIfAborted();
    return new Promise<RecordOutcome[]>((resolve, reject) => {
      const request = (secure ? https : http).request(
        {
          agent,
          hostname: url.hostname,
          ...(port === undefined ? {} : { port }),
          method: 'POST',
          path: '/',
          headers,
          timeout: options.requestTimeoutMs,
          signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.byteLength;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy(
                new FirehoseCallError('ResponseTooLarge', 'PutRecordBatch answer is too large'),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            const answer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (status === 200) resolve(outcomesOf(answer, records.length));
            else {
              const type = response.headers['x-amzn-errortype'];
              reject(callErrorOf(status, typeof type === 'string' ? type : undefined, answer));
            }
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(new FirehoseCallError('TimeoutError', 'PutRecordBatch timed out')),
      );
      request.on('error', reject);
      request.end(body);
    });
  };
  return Object.assign(put, { destroy: () => agent.destroy() });
}
