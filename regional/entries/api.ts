// Lambda entry of the regional API (API Gateway HTTP API v2): admin and analytics routes.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { loadApiConfig } from '../api/config.ts';
import { apiGatewayV2Result, requestFromApiGatewayV2 } from '../api/http/apigw-v2.ts';
import { withKeyTagSecret } from '../api/key-tag-secret.ts';
import { wireApi } from '../api/wire.ts';

/**
 * Wired on the first invocation (a configuration error then fails that invocation loudly) and kept.
 * In AWS the key-tag secret is read by ARN first (regional/api/key-tag-secret.ts).
 */
async function init() {
  const config = loadApiConfig(await withKeyTagSecret(process.env));
  const log = createLambdaLogger(config.serviceName, config.logLevel);
  return {
    log,
    api: wireApi({ ...config, poolMax: { app: 2, system: 1 }, keyPropagation: 'inline', log }).api,
  };
}
let wiring: ReturnType<typeof init> | undefined;

/** API Gateway v2 handler. */
export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (!wiring) {
    const starting = init();
    wiring = starting;
    // A failed start is not kept: the next invocation tries again (e.g. after a transient Secrets Manager error).
    starting.catch(() => {
      if (wiring === starting) wiring = undefined;
    });
  }
  const wired = await wiring;
  wired.log.addContext(context);
  const response = await wired.api(requestFromApiGatewayV2(event));
  wired.log.info('request', {
    method: event.requestContext.http.method,
    path: event.rawPath,
    status: response.status,
  });
  return apiGatewayV2Result(response);
}
