// Local-stack service: the loader (wired as in Lambda), fed by the local Firehose's S3 notifications, plus partition maintenance.
import path from 'node:path';
import type { S3EventNotification } from '../../contract/index.ts';
import { loadLoaderConfig } from '../../regional/loader/config.ts';
import type { LoadDeps } from '../../regional/loader/load-object.ts';
import { sqsEventOf } from '../../regional/loader/sqs-handler.ts';
import { wireLoader } from '../../regional/loader/wire.ts';
import type { LocalContext, RunningService } from './context.ts';
import { type FirehoseExports, localS3Client } from './firehose.ts';
import { appendDurably } from './private-fs.ts';
import { LOCAL_RECEIVE_POLICY, ReceiveTracker } from './receive-policy.ts';

const MAINTENANCE_EVERY_MS = 60 * 60 * 1000;

/** Test seams (fault injection); `npm start` passes none. */
export interface LocalLoaderOptions {
  beforeCommit?: LoadDeps['beforeCommit'];
}

/**
 * Subscribes the loader to the local Firehose's notifications. Each notification is handed to the same
 * SQS handler as in AWS (wrapped as a one-message SQS event); a reported failure rejects, so the
 * Firehose stand-in redelivers it with backoff (at least once, as SQS would). Once it has failed at least
 * 8 times over at least 10 minutes (LOCAL_RECEIVE_POLICY: a database outage shorter than that needs no
 * replay) the notification is appended to `.data/loader-dlq.ndjson`, the local stand-in for the DLQ
 * (replay: regional/loader/RUNBOOK.md).
 */
export async function startLoader(
  ctx: LocalContext,
  options: LocalLoaderOptions = {},
): Promise<RunningService> {
  const firehose = ctx.services.get('firehose')?.exports as FirehoseExports | undefined;
  if (!firehose) throw new Error('the loader needs the firehose service started before it');
  const config = loadLoaderConfig();
  const log = ctx.logger('loader');
  const s3 = localS3Client(firehose.s3Endpoint);
  const loader = wireLoader({
    config,
    systemDatabase: ctx.db.system,
    s3,
    poolMax: 4,
    statementTimeoutMs: 300_000,
    log,
    ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
  });
  const maintain = async (): Promise<void> => {
    try {
      await loader.rollups.maintain();
    } catch (error) {
      log.error('partition maintenance failed', { error: String(error) });
    }
  };
  await maintain();
  const timer = setInterval(() => void maintain(), MAINTENANCE_EVERY_MS);
  timer.unref();

  const receives = new ReceiveTracker(LOCAL_RECEIVE_POLICY);
  const dlqFile = path.join(ctx.config.dataDir, 'loader-dlq.ndjson');
  let seq = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const consume = async (event: S3EventNotification): Promise<void> => {
    const body = JSON.stringify(event);
    const id = event.Records.map((r) => r.s3.object.key).join(',');
    const response = await loader.handle(sqsEventOf(body, `local-${++seq}`));
    if (response.batchItemFailures.length === 0) {
      receives.succeeded(id);
      return;
    }
    const { deadLetter, attempt } = receives.failed(id);
    if (!deadLetter) throw new Error(`load failed (attempt ${attempt}); redeliver`);
    // Durable before the stand-in forgets its copy of the notification (this resolves the delivery).
    await appendDurably(dlqFile, `${JSON.stringify({ at: new Date().toISOString(), body })}\n`);
    log.error('notification moved to the local DLQ', { objects: id, file: dlqFile });
  };
  firehose.subscribe((event) => {
    // Refused after stop: the stand-in keeps the notification on disk and delivers it after the restart.
    if (stopped) return Promise.reject(new Error('loader stopped'));
    const job = consume(event).finally(() => inFlight.delete(job));
    inFlight.add(job);
    return job;
  });

  return {
    name: 'loader',
    async stop() {
      stopped = true;
      clearInterval(timer);
      // Loads already started finish (and commit) before the pool closes.
      await Promise.allSettled([...inFlight]);
      s3.destroy();
      await loader.close();
    },
  };
}
