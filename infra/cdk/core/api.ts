// Regional HTTP API: analytics and admin Lambdas behind API Gateway v2 with a Cognito JWT authorizer.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { LambdaCode } from '../lambda-code.ts';
import { logRetention } from '../lifecycle.ts';
import { coreNames } from '../names.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';
import type { Auth } from './auth.ts';
import type { Database } from './database.ts';
import { nodeFunction } from './node-function.ts';

/** The regional API's contract: every route API Gateway serves comes from it. */
const OPENAPI_FILE = fileURLToPath(new URL('../../../regional/openapi.json', import.meta.url));
/** The route served without a token (uptime checks). */
export const PUBLIC_ROUTE = 'GET /v1/health';

type OpenApi = { paths: Record<string, Record<string, unknown>> };
const METHODS: Record<string, apigw.HttpMethod> = {
  get: apigw.HttpMethod.GET,
  post: apigw.HttpMethod.POST,
  put: apigw.HttpMethod.PUT,
  patch: apigw.HttpMethod.PATCH,
  delete: apigw.HttpMethod.DELETE,
};

/**
 * Every operation of regional/openapi.json, split by function: `/v1/analytics/*` to the analytics
 * function, the rest (and health) to admin. Read from the contract so a new route can never be
 * missing in AWS (API Gateway would answer it 404).
 */
export function apiRoutes(openapi: OpenApi = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApi): {
  analytics: Array<[apigw.HttpMethod, string]>;
  admin: Array<[apigw.HttpMethod, string]>;
} {
  const analytics: Array<[apigw.HttpMethod, string]> = [];
  const admin: Array<[apigw.HttpMethod, string]> = [];
  for (const [path, item] of Object.entries(openapi.paths)) {
    for (const method of Object.keys(item)) {
      const m = METHODS[method];
      if (m === undefined || `${m} ${path}` === PUBLIC_ROUTE) continue;
      (path.startsWith('/v1/analytics/') ? analytics : admin).push([m, path]);
    }
  }
  return { analytics, admin };
}

/** Fields of an API access log line ($context variables of HTTP APIs). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  route: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
};

/** Requests per second across the regional API (a dashboard needs a handful per page view). */
export const API_RATE_LIMIT = 200;

/** Dependencies of the API construct. */
export interface ApiProps {
  config: InfraConfig;
  code: LambdaCode;
  auth: Auth;
  database: Database;
  keyTable: dynamodb.ITableV2;
  /** JSON secret of key-tag versions (core/key-tag.ts); the admin function mints with one of them. */
  keyTagSecret: secretsmanager.ISecret;
}

/** The HTTP API and its two functions. */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly analyticsFunction: lambda.Function;
  readonly adminFunction: lambda.Function;
  /** API Gateway access logs of the `$default` stage. */
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { auth, database } = props;
    const shared = {
      [RUNTIME_ENV.userPoolId]: auth.userPool.userPoolId,
      [RUNTIME_ENV.userPoolClientId]: auth.client.userPoolClientId,
    };
    const vpc = database.lambdaPlacement();

    // Two functions from one bundle: analytics scans can be slow and must not starve key admin, and
    // only the admin function gets the system role (inline outbox drain) and may write the key cache.
    this.analyticsFunction = nodeFunction(this, 'Analytics', {
      functionName: coreNames(props.config).function('analytics'),
      code: props.code,
      bundle: 'api',
      description: 'Regional API: analytics routes (llmo_app role, RLS)',
      timeout: Duration.seconds(29),
      memoryMiB: 1024,
      logRetention: logRetention(props.config),
      environment: {
        ...shared,
        // One bundle, two functions: the service name tells their log lines apart.
        [RUNTIME_ENV.serviceName]: 'llmo-api-analytics',
      },
      vpc,
    });
    // Only admin mutations use llmo_system (the inline outbox drain) and API Gateway never routes
    // those here, so the analytics function never holds the cross-tenant role.
    database.connect(this.analyticsFunction, ['app']);
    this.adminFunction = nodeFunction(this, 'Admin', {
      functionName: coreNames(props.config).function('admin'),
      code: props.code,
      bundle: 'api',
      description: 'Regional API: admin routes, key outbox drained inline',
      timeout: Duration.seconds(29),
      logRetention: logRetention(props.config),
      environment: {
        ...shared,
        [RUNTIME_ENV.serviceName]: 'llmo-api-admin',
        [RUNTIME_ENV.keyTableName]: props.keyTable.tableName,
        // The secret new keys are tagged with, by ARN (read at cold start, never in the configuration).
        [RUNTIME_ENV.keyTagVersion]: props.config.keyTagVersion,
        [RUNTIME_ENV.keyTagSecretArn]: props.keyTagSecret.secretArn,
      },
      vpc,
    });
    database.connect(this.adminFunction, ['app', 'system']);
    props.keyTagSecret.grantRead(this.adminFunction);
    // The inline outbox drain only does conditional puts (regional/outbox/dynamo-key-store.ts).
    props.keyTable.grant(this.adminFunction, 'dynamodb:PutItem');

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `${props.config.prefix}-api`,
      description: 'LLM Observer regional API (analytics + admin)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.config.dashboardUrl],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: ['x-request-id'],
        maxAge: Duration.hours(1),
      },
    });
    // One JSON line per request (no headers, no query string: nothing secret), retention as every log.
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logRetention(props.config),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A ceiling for the whole API, so a runaway dashboard cannot exhaust Aurora's connections.
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: API_RATE_LIMIT, burstLimit: API_RATE_LIMIT * 2 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // First gate only: API Gateway hands claims on as strings, so the Lambda verifies the token again.
    const authorizer = new HttpJwtAuthorizer('Cognito', auth.issuer, {
      jwtAudience: [auth.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    const analytics = new HttpLambdaIntegration('AnalyticsIntegration', this.analyticsFunction);
    const admin = new HttpLambdaIntegration('AdminIntegration', this.adminFunction);
    const routes = apiRoutes();
    for (const [method, path] of routes.analytics) {
      this.httpApi.addRoutes({ path, methods: [method], integration: analytics, authorizer });
    }
    for (const [method, path] of routes.admin) {
      this.httpApi.addRoutes({ path, methods: [method], integration: admin, authorizer });
    }
    // Health needs no token (load balancers and uptime checks).
    for (const route of this.httpApi.addRoutes({
      path: '/v1/health',
      methods: [apigw.HttpMethod.GET],
      integration: admin,
    })) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'GET /v1/health is public on purpose (uptime checks); it reads no tenant data.',
      });
    }
  }
}
