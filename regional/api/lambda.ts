// Lambda entry point of the regional API behind API Gateway HTTP API (v2): admin and analytics routes.

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createPool } from '../db/pool.ts';
import { drainKeyOutbox } from '../outbox/drain.ts';
import { dynamoKeyCacheWriter } from '../outbox/dynamo-key-store.ts';
import { createTokenVerifier } from './auth/verifier.ts';
import { loadApiConfig } from './config.ts';
import { apiGatewayV2Result, requestFromApiGatewayV2 } from './http/apigw-v2.ts';
import { createRegionalApi, type RegionalApi } from './router.ts';

const logger = new Logger({ serviceName: 'regional-api' });
let api: RegionalApi | undefined;

/** Built once per container, on the first invocation (config errors then fail that invocation loudly). */
function buildApi(): RegionalApi {
  const config = loadApiConfig();
  logger.setLogLevel(config.logLevel);
  // A dropped idle connection (Aurora failover, scaling) is logged; the pool reconnects on next use.
  const onIdleError = (error: Error) =>
    logger.warn('idle database connection lost', { error: error.message });
  const app = createPool(config.appDatabaseUrl, { max: 2, applicationName: 'llmo-api', onIdleError });
  const system = createPool(config.systemDatabaseUrl, {
    max: 1,
    applicationName: 'llmo-api-outbox',
    onIdleError,
  });
  const dynamo = new DynamoDBClient(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {});
  const writer = dynamoKeyCacheWriter(dynamo, config.keyTableName);
  return createRegionalApi({
    verifier: createTokenVerifier(config.auth),
    db: app,
    clock: () => new Date(),
    maxRangeDays: config.maxRangeDays,
    // A Lambda is frozen after it answers, so the push to DynamoDB happens before the answer; whatever
    // fails here stays in the outbox for the scheduled sweep (regional/outbox/sweep-lambda.ts).
    onKeyChange: async () => {
      await drainKeyOutbox({
        pool: system,
        writer,
        onError: ({ outboxId, prefix, attempts, error }) =>
          logger.warn('key propagation failed', { outboxId, prefix, attempts, error: String(error) }),
      });
    },
    logError: (message, details) => logger.error(message, details),
  });
}

/** API Gateway v2 handler. */
export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  logger.addContext(context);
  api ??= buildApi();
  const response = await api(requestFromApiGatewayV2(event));
  logger.info('request', {
    method: event.requestContext.http.method,
    path: event.rawPath,
    status: response.status,
    request_id: response.headers.get('x-request-id'),
  });
  return apiGatewayV2Result(response);
}
