// Lambda entry of the loader: SQS messages carrying S3 notifications → loadObject, partial batch response.
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { loadLoaderConfig } from '../loader/config.ts';
import { systemDatabaseUrl } from '../loader/database-url.ts';
import { type WiredLoader, wireLoader } from '../loader/wire.ts';

const config = loadLoaderConfig();
const log = createLambdaLogger(config.serviceName ?? 'llmo-loader', config.logLevel);
let ready: Promise<WiredLoader> | undefined;

/** SQS event source handler (ReportBatchItemFailures enabled on the mapping). */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  ready ??= systemDatabaseUrl()
    .then((url) =>
      wireLoader({
        config,
        systemDatabaseUrl: url,
        s3: new S3Client({}),
        poolMax: 2,
        statementTimeoutMs: 100_000,
        log,
      }),
    )
    .catch((error: unknown) => {
      ready = undefined; // a cold start that failed (secret, network) is retried on the next invocation
      throw error;
    });
  return (await ready).handle(event, context);
}
