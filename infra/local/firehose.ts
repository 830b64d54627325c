// Local-stack service: the S3 landing stand-in plus the Firehose stand-in that lands into it.

import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3EventNotification } from '../../contract/index.ts';
import type { LocalContext, RunningService } from './context.ts';
import { LOCAL_AWS } from './dynamo.ts';
import type { Notify } from './firehose/delivery-stream.ts';
import { startFirehoseServer } from './firehose-server.ts';
import { startS3Server } from './s3-server.ts';

/** What the Firehose service exports to later services (the loader subscribes here). */
export interface FirehoseExports {
  firehoseEndpoint: string;
  s3Endpoint: string;
  bucket: string;
  /** Registers a notification consumer; notifications wait (and are retried) until one exists. */
  subscribe(consumer: Notify): void;
  /**
   * Lands what is buffered and waits until the consumers took every notification, at most `timeoutMs`;
   * true when nothing is left (what is left stays on disk for the next start).
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** An S3 client for the local landing store (path-style, local credentials). */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({ ...LOCAL_AWS, endpoint, forcePathStyle: true });
}

/**
 * Fans a notification out to every consumer. Before the first consumer subscribes (the loader starts
 * after the stand-in, which may already be delivering what a previous run left), notifications wait.
 */
export function notificationHub(): { notify: Notify; subscribe(consumer: Notify): void } {
  const consumers: Notify[] = [];
  let first: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => {
    first = resolve;
  });
  return {
    async notify(event: S3EventNotification) {
      await subscribed;
      await Promise.all(consumers.map((consumer) => consumer(event)));
    },
    subscribe: (consumer) => {
      consumers.push(consumer);
      first();
    },
  };
}

/** Starts the landing store and the Firehose endpoint on the configured ports. */
export async function startFirehose(ctx: LocalContext): Promise<RunningService> {
  const { config } = ctx;
  const s3 = await startS3Server({
    port: config.ports.s3,
    dataDir: path.join(config.dataDir, 's3'),
    buckets: [config.landingBucket],
    logger: ctx.logger('s3'),
  });
  const s3Client = localS3Client(s3.endpoint);
  const hub = notificationHub();
  const firehose = await startFirehoseServer({
    port: config.ports.firehose,
    streams: [config.firehoseStream],
    bucket: config.landingBucket,
    region: LOCAL_AWS.region,
    credentials: LOCAL_AWS.credentials,
    // Each accepted call is journalled and synced before it is answered; a restart delivers the rest.
    journalDir: path.join(config.dataDir, 'firehose'),
    land: async (key, body) => {
      const out = await s3Client.send(
        new PutObjectCommand({
          Bucket: config.landingBucket,
          Key: key,
          Body: body,
          ContentType: 'application/x-ndjson',
          ContentEncoding: 'gzip',
        }),
      );
      return { etag: (out.ETag ?? '').replaceAll('"', '') };
    },
    notify: hub.notify,
    // While landing fails (S3 stand-in down) the stream refuses calls past 64 MiB waiting: the edge
    // retries, then answers its clients 503 with Retry-After, instead of this process growing unbounded.
    onBackpressure: (stream, refusing, unlandedBytes) => {
      const log = ctx.logger('firehose');
      if (refusing) {
        log.warn(
          'landing is behind: refusing PutRecordBatch (ServiceUnavailableException) until it catches up',
          {
            stream,
            unlanded_bytes: unlandedBytes,
          },
        );
      } else
        log.info('landing caught up: accepting PutRecordBatch again', {
          stream,
          unlanded_bytes: unlandedBytes,
        });
    },
    logger: ctx.logger('firehose'),
    // Retries go on until they succeed; log the first failure and then every 20th, not every attempt.
    onError: (what, error, attempt) => {
      if (attempt % 20 !== 0) return;
      ctx.logger('firehose').warn(`${what} failed; retrying`, {
        attempt,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
  const { recovered } = firehose;
  if (recovered.segments > 0 || recovered.notifications > 0) {
    ctx.logger('firehose').info('delivering what the previous run left undelivered', {
      record_segments: recovered.segments,
      record_bytes: recovered.bytes,
      notifications: recovered.notifications,
    });
  }
  const exports: FirehoseExports = {
    firehoseEndpoint: firehose.endpoint,
    s3Endpoint: s3.endpoint,
    bucket: config.landingBucket,
    subscribe: hub.subscribe,
    drain: (timeoutMs) => firehose.flush(timeoutMs),
  };
  return {
    name: 'firehose',
    url: firehose.endpoint,
    exports: { ...exports },
    drain: exports.drain,
    async stop() {
      // Normally drained already (start.ts); this only stops the retries — the rest waits on disk.
      await firehose.stop(1_000);
      s3Client.destroy();
      await s3.stop();
    },
  };
}
