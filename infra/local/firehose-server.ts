// Local Firehose stand-in: the JSON 1.1 protocol (PutRecordBatch, PutRecord) for the real SDK client.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../../runtime/log.ts';
import {
  BackpressureError,
  DeliveryStream,
  type LandObject,
  type Notify,
} from './firehose/delivery-stream.ts';
import { type FirehoseFaults, NO_FAULTS } from './firehose/faults.ts';
import { fileNotificationStore } from './firehose/pending-notifications.ts';
import { ProtocolError } from './firehose/protocol-error.ts';
import { openFileJournal } from './firehose/record-journal.ts';
import { verifySigV4 } from './firehose/verify-sigv4.ts';
import { listenLocal } from './listen.ts';

/** Options of the local Firehose endpoint. */
export interface FirehoseServerOptions {
  port: number;
  /** Delivery stream names this endpoint accepts. */
  streams: string[];
  bucket: string;
  region?: string;
  land: LandObject;
  notify?: Notify;
  bufferBytes?: number;
  bufferIntervalMs?: number;
  /**
   * Per stream: accepted bytes that may wait to land (default 64 MiB). Past it, calls are refused with
   * ServiceUnavailableException (HTTP 503), as a throttled Firehose answers, until landing catches up.
   */
  maxUnlandedBytes?: number;
  /** Called when a stream starts refusing calls because landing is behind (true) and when it stops. */
  onBackpressure?: (stream: string, refusing: boolean, unlandedBytes: number) => void;
  /**
   * Folder for each stream's record journal and undelivered notifications (`<dir>/<stream>/records`,
   * `…/notifications`). With it, a call is answered only after its records are written and synced, and
   * what a previous run left undelivered is delivered after start. Without it, memory only.
   */
  journalDir?: string;
  /** fdatasync the journal before answering (default true); false only for the benchmark's baseline. */
  syncJournal?: boolean;
  faults?: Partial<FirehoseFaults>;
  /**
   * Benchmark mode: answer every call as fully accepted after counting its records, without decoding,
   * buffering or landing anything, so the stand-in's own work stays out of the measurement.
   */
  acknowledgeOnly?: boolean;
  /**
   * When set, every call's SigV4 signature is checked as AWS checks it (401/403-style errors
   * otherwise), so a client that signs wrongly fails here as it would in AWS.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  onError?: (what: 'land' | 'notify', error: unknown, attempt: number) => void;
  /** Where an unreadable kept notification is reported (default: a JSON logger on stdout). */
  logger?: Logger;
  /** Randomness for fault injection (tests may seed it). */
  random?: () => number;
}

/** A running local Firehose. */
export interface LocalFirehoseServer {
  endpoint: string;
  /** Current fault settings; assign fields to change them at runtime. */
  faults: FirehoseFaults;
  /** Counters since start. */
  stats: { calls: number; recordsAccepted: number; recordsFailed: number; callsThrottled: number };
  /** What a previous run left in the journal folder (zeros without one); `bytes`: its segment files' size. */
  recovered: { notifications: number; segments: number; bytes: number };
  /** Lands everything buffered and waits for its notifications; true when nothing is left in flight. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes (waiting at most `timeoutMs`), then stops; what is left stays in the journal folder. */
  stop(timeoutMs?: number): Promise<void>;
}

const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const TARGET_PREFIX = 'Firehose_20150804.';

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () =>
      size > MAX_REQUEST_BYTES
        ? reject(new ProtocolError(413, 'SerializationException', 'request too large'))
        : resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomBytes(8).toString('hex'),
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function sendError(res: ServerResponse, error: ProtocolError): void {
  res.setHeader('x-amzn-errortype', error.type);
  send(res, error.status, { __type: error.type, message: error.message });
}

const recordId = () => randomBytes(42).toString('base64');

/**
 * Journals records; a write failure is the service's, and a stream whose landing is behind refuses
 * (backpressure), so in both cases the caller retries the whole call later, as after throttling.
 */
async function append(stream: DeliveryStream, records: Buffer[]): Promise<void> {
  try {
    await stream.append(records);
  } catch (error) {
    if (error instanceof BackpressureError) {
      throw new ProtocolError(503, 'ServiceUnavailableException', 'Slow down.');
    }
    throw new ProtocolError(503, 'ServiceUnavailableException', 'could not store the records; retry');
  }
}

/** Counts `{"Data":` occurrences: the record count of a well-formed PutRecordBatch body, without parsing. */
function countRecords(body: Buffer): number {
  const needle = Buffer.from('{"Data":');
  let n = 0;
  for (let i = body.indexOf(needle); i !== -1; i = body.indexOf(needle, i + needle.length)) n++;
  return n;
}

function decodeData(record: unknown): Buffer {
  const data = (record as { Data?: unknown } | null)?.Data;
  if (typeof data !== 'string')
    throw new ProtocolError(400, 'ValidationException', 'Record.Data is required');
  const bytes = Buffer.from(data, 'base64');
  if (bytes.byteLength > 1000 * 1024)
    throw new ProtocolError(400, 'ValidationException', 'record larger than 1000 KiB');
  return bytes;
}

/** Starts the endpoint on 127.0.0.1:`port` (0 = any free port). */
export async function startFirehoseServer(options: FirehoseServerOptions): Promise<LocalFirehoseServer> {
  const random = options.random ?? Math.random;
  const faults: FirehoseFaults = { ...NO_FAULTS, ...options.faults };
  const stats = { calls: 0, recordsAccepted: 0, recordsFailed: 0, callsThrottled: 0 };
  const streams = new Map<string, DeliveryStream>();
  const recovered = { notifications: 0, segments: 0, bytes: 0 };
  for (const name of options.streams) {
    const dir = options.journalDir ? path.join(options.journalDir, name) : undefined;
    const stream = new DeliveryStream({
      name,
      bucket: options.bucket,
      region: options.region ?? 'us-east-1',
      bufferBytes: options.bufferBytes ?? 1024 * 1024,
      bufferIntervalMs: options.bufferIntervalMs ?? 1_000,
      ...(options.maxUnlandedBytes === undefined ? {} : { maxUnlandedBytes: options.maxUnlandedBytes }),
      ...(options.onBackpressure ? { onBackpressure: options.onBackpressure.bind(undefined, name) } : {}),
      land: options.land,
      ...(options.notify ? { notify: options.notify } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(dir
        ? {
            journal: await openFileJournal({
              dir: path.join(dir, 'records'),
              sync: options.syncJournal ?? true,
            }),
            pending: await fileNotificationStore(
              path.join(dir, 'notifications'),
              options.logger ? { logger: options.logger } : {},
            ),
          }
        : {}),
    });
    const found = await stream.recover();
    recovered.notifications += found.notifications;
    recovered.segments += found.segments;
    recovered.bytes += found.bytes;
    streams.set(name, stream);
  }

  const throttled = () => {
    if (faults.failNextCalls > 0) {
      faults.failNextCalls--;
      return true;
    }
    return faults.throttleRate > 0 && random() < faults.throttleRate;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = await readAll(req);
    stats.calls++;
    if (options.credentials) {
      await verifySigV4({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers }, body, {
        credentials: options.credentials,
        region: options.region ?? 'us-east-1',
        service: 'firehose',
      });
    }
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new ProtocolError(400, 'UnknownOperationException', 'unknown operation');
    }
    const operation = target.slice(TARGET_PREFIX.length);
    if (operation !== 'PutRecordBatch' && operation !== 'PutRecord') {
      throw new ProtocolError(400, 'UnknownOperationException', `operation ${operation} is not supported`);
    }
    if (throttled()) {
      stats.callsThrottled++;
      throw new ProtocolError(503, 'ServiceUnavailableException', 'Slow down.');
    }
    if (options.acknowledgeOnly && operation === 'PutRecordBatch') {
      const n = countRecords(body);
      stats.recordsAccepted += n;
      const id = recordId();
      let out = '{"FailedPutCount":0,"Encrypted":false,"RequestResponses":[';
      for (let i = 0; i < n; i++) out += `${i === 0 ? '' : ','}{"RecordId":"${id}${i}"}`;
      return send(res, 200, `${out}]}`);
    }
    let input: { DeliveryStreamName?: unknown; Records?: unknown; Record?: unknown };
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ProtocolError(400, 'SerializationException', 'body is not JSON');
    }
    const stream = streams.get(String(input.DeliveryStreamName));
    if (!stream) {
      throw new ProtocolError(
        400,
        'ResourceNotFoundException',
        `Firehose ${String(input.DeliveryStreamName)} not found`,
      );
    }
    if (operation === 'PutRecord') {
      const data = decodeData(input.Record);
      if (faults.recordFailureRate > 0 && random() < faults.recordFailureRate) {
        stats.recordsFailed++;
        throw new ProtocolError(503, 'ServiceUnavailableException', 'Slow down.');
      }
      await append(stream, [data]);
      stats.recordsAccepted++;
      return send(res, 200, { RecordId: recordId(), Encrypted: false });
    }
    const records = input.Records;
    if (!Array.isArray(records) || records.length === 0 || records.length > 500) {
      throw new ProtocolError(400, 'ValidationException', 'Records must hold 1 to 500 records');
    }
    const decoded = records.map(decodeData);
    let failed = 0;
    const accepted: Buffer[] = [];
    const responses = decoded.map((data) => {
      if (faults.recordFailureRate > 0 && random() < faults.recordFailureRate) {
        failed++;
        return { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };
      }
      accepted.push(data);
      return { RecordId: recordId() };
    });
    // Answered only once every accepted record is durable in the journal.
    await append(stream, accepted);
    stats.recordsAccepted += decoded.length - failed;
    stats.recordsFailed += failed;
    send(res, 200, { FailedPutCount: failed, Encrypted: false, RequestResponses: responses });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      sendError(
        res,
        error instanceof ProtocolError
          ? error
          : new ProtocolError(500, 'InternalFailure', 'internal failure'),
      ),
    );
  });
  server.keepAliveTimeout = 60_000;
  const listening = await listenLocal(server, options.port);
  return {
    endpoint: `http://127.0.0.1:${listening.port}`,
    faults,
    stats,
    recovered,
    async flush(timeoutMs) {
      const drained = await Promise.all([...streams.values()].map((s) => s.drain(timeoutMs)));
      return drained.every(Boolean);
    },
    async stop(timeoutMs) {
      await listening.close();
      await Promise.all([...streams.values()].map((s) => s.stop(timeoutMs)));
    },
  };
}
