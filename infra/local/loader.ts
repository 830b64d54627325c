// Local-stack service: the loader, fed by the local Firehose's S3 notifications, plus partition maintenance.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { maintainPartitions } from '../../regional/db/partitions.ts';
import { createPool } from '../../regional/db/pool.ts';
import { loadLoaderConfig } from '../../regional/loader/config.ts';
import { type LoadDeps, loadObject } from '../../regional/loader/load-object.ts';
import { s3ObjectSource } from '../../regional/loader/object-source.ts';
import { createSqsHandler, sqsEventOf } from '../../regional/loader/sqs-handler.ts';
import type { LocalContext, RunningService } from './context.ts';
import type { S3EventNotification } from './firehose/s3-event.ts';
import { type FirehoseExports, localS3Client } from './firehose.ts';

/** Like SQS maxReceiveCount: after this many failed deliveries a notification goes to the local DLQ file. */
export const LOCAL_MAX_RECEIVES = 8;
const MAINTENANCE_EVERY_MS = 60 * 60 * 1000;

/** Test seams (fault injection); `npm start` passes none. */
export interface LocalLoaderOptions {
  beforeCommit?: LoadDeps['beforeCommit'];
}

/**
 * Subscribes the loader to the local Firehose's notifications. Each notification is handed to the same
 * SQS handler as in AWS (wrapped as a one-message SQS event); a reported failure rejects, so the
 * Firehose stand-in redelivers it with backoff (at least once, as SQS would). After
 * LOCAL_MAX_RECEIVES failures the notification is appended to `.data/loader-dlq.ndjson`, the local
 * stand-in for the DLQ (replay: regional/loader/RUNBOOK.md).
 */
export async function startLoader(
  ctx: LocalContext,
  options: LocalLoaderOptions = {},
): Promise<RunningService> {
  const firehose = ctx.services.get('firehose')?.exports as FirehoseExports | undefined;
  if (!firehose) throw new Error('the loader needs the firehose service started before it');
  const config = loadLoaderConfig();
  const pool = createPool(ctx.db.system, {
    max: 4,
    applicationName: 'llmo-loader',
    statementTimeoutMs: 300_000,
  });
  // An idle connection dropped by the server (restart, shutdown) must not crash the stack.
  pool.on('error', (error) => ctx.log('loader', 'idle database connection failed', { error: error.message }));
  const s3 = localS3Client(firehose.s3Endpoint);
  const deps: LoadDeps = {
    pool,
    source: s3ObjectSource(s3),
    chunkLines: config.chunkLines,
    maxLineBytes: config.maxLineBytes,
    ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
  };
  const handler = createSqsHandler({
    load: (ref) => loadObject(ref, deps),
    logger: {
      info: (message, extra) => ctx.log('loader', message, extra),
      error: (message, extra) => ctx.log('loader', message, { level: 'error', ...extra }),
    },
  });
  const policy = { retentionDays: config.retentionDays, aheadDays: config.aheadDays };
  const maintain = async (): Promise<void> => {
    try {
      const result = await maintainPartitions(pool, policy);
      if (result.created || result.dropped.length) ctx.log('loader', 'partition maintenance', { ...result });
    } catch (error) {
      ctx.log('loader', 'partition maintenance failed', { level: 'error', error: String(error) });
    }
  };
  await maintain();
  const timer = setInterval(() => void maintain(), MAINTENANCE_EVERY_MS);
  timer.unref();

  const receives = new Map<string, number>();
  const dlqFile = path.join(ctx.config.dataDir, 'loader-dlq.ndjson');
  let seq = 0;
  let stopped = false;
  firehose.subscribe(async (event: S3EventNotification) => {
    if (stopped) throw new Error('loader stopped');
    const body = JSON.stringify(event);
    const id = event.Records.map((r) => r.s3.object.key).join(',');
    const response = await handler(sqsEventOf(body, `local-${++seq}`));
    if (response.batchItemFailures.length === 0) {
      receives.delete(id);
      return;
    }
    const count = (receives.get(id) ?? 0) + 1;
    receives.set(id, count);
    if (count < LOCAL_MAX_RECEIVES) throw new Error(`load failed (attempt ${count}); redeliver`);
    receives.delete(id);
    await appendFile(dlqFile, `${JSON.stringify({ at: new Date().toISOString(), body })}\n`);
    ctx.log('loader', 'notification moved to the local DLQ', { level: 'error', objects: id, file: dlqFile });
  });

  return {
    name: 'loader',
    async stop() {
      stopped = true;
      clearInterval(timer);
      s3.destroy();
      await pool.end();
    },
  };
}
