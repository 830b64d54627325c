// Lambda entry of the loader: SQS messages carrying S3 notifications → loadObject, partial batch response.
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createPool } from '../db/pool.ts';
import { loadLoaderConfig } from './config.ts';
import { systemDatabaseUrl } from './database-url.ts';
import { loadObject } from './load-object.ts';
import { s3ObjectSource } from './object-source.ts';
import { createSqsHandler } from './sqs-handler.ts';

const config = loadLoaderConfig();
const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'llmo-loader',
  logLevel: config.logLevel,
});

type Handler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;
let ready: Promise<Handler> | undefined;

async function init(): Promise<Handler> {
  // One connection per concurrent object is enough: a Lambda instance handles one batch at a time.
  const pool = createPool(await systemDatabaseUrl(), {
    max: 2,
    applicationName: 'llmo-loader',
    statementTimeoutMs: 100_000,
    onIdleError: (error) => logger.error('idle database connection failed', { error: error.message }),
  });
  const source = s3ObjectSource(new S3Client({}));
  return createSqsHandler({
    load: (ref) =>
      loadObject(ref, { pool, source, chunkLines: config.chunkLines, maxLineBytes: config.maxLineBytes }),
    logger: {
      info: (message, extra) => logger.info(message, extra ?? {}),
      error: (message, extra) => logger.error(message, extra ?? {}),
    },
  });
}

/** SQS event source handler (ReportBatchItemFailures enabled on the mapping). */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  ready ??= init().catch((error: unknown) => {
    ready = undefined; // a cold start that failed (secret, network) is retried on the next invocation
    throw error;
  });
  logger.addContext(context);
  return (await ready)(event, context);
}
