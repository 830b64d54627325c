// Lambda entry of the loader: SQS messages carrying S3 notifications → loadObject, partial batch response.
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { roleCredentials } from '../db/credentials.ts';
import { loadLoaderConfig } from '../loader/config.ts';
import { type WiredLoader, wireLoader } from '../loader/wire.ts';

const config = loadLoaderConfig();
const log = createLambdaLogger(config.serviceName, config.logLevel);
let wired: WiredLoader | undefined;

/** SQS event source handler (ReportBatchItemFailures enabled on the mapping). */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  // The system role's secret is read at the first connection, and again when a rotated password is refused.
  wired ??= wireLoader({
    config,
    systemDatabase: roleCredentials('system'),
    s3: new S3Client({}),
    poolMax: 2,
    statementTimeoutMs: 100_000,
    log,
  });
  return wired.handle(event, context);
}
