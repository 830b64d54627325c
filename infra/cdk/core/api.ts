// Regional HTTP API: analytics and admin Lambdas behind API Gateway v2 with a Cognito JWT authorizer.
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { LambdaCode } from '../lambda-code.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';
import type { Auth } from './auth.ts';
import type { Database } from './database.ts';
import { nodeFunction } from './node-function.ts';

const { GET, POST } = apigw.HttpMethod;

/** Routes of regional/openapi.json, split by function. Anything else gets API Gateway's 404. */
export const ANALYTICS_ROUTES: Array<[apigw.HttpMethod, string]> = [
  [GET, '/v1/analytics/overview'],
  [GET, '/v1/analytics/timeseries'],
  [GET, '/v1/analytics/breakdown'],
  [GET, '/v1/analytics/events'],
];
/** Routes served by the admin function. */
export const ADMIN_ROUTES: Array<[apigw.HttpMethod, string]> = [
  [GET, '/v1/me'],
  [GET, '/v1/projects'],
  [POST, '/v1/projects'],
  [GET, '/v1/projects/{project_id}/api-keys'],
  [POST, '/v1/projects/{project_id}/api-keys'],
  [POST, '/v1/api-keys/{key_id}/revoke'],
  [GET, '/v1/audit-logs'],
];

/** Requests per second across the regional API (a dashboard needs a handful per page view). */
export const API_RATE_LIMIT = 200;

/** Dependencies of the API construct. */
export interface ApiProps {
  config: InfraConfig;
  code: LambdaCode;
  auth: Auth;
  database: Database;
  keyTable: dynamodb.ITableV2;
}

/** The HTTP API and its two functions. */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly analyticsFunction: lambda.Function;
  readonly adminFunction: lambda.Function;

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
      code: props.code,
      bundle: 'api',
      description: 'Regional API: analytics routes (llmo_app role, RLS)',
      timeout: Duration.seconds(29),
      memoryMiB: 1024,
      environment: {
        ...shared,
        [RUNTIME_ENV.apiRole]: 'analytics',
      },
      vpc,
    });
    // Only admin mutations use llmo_system (the inline outbox drain) and API Gateway never routes
    // those here, so the analytics function never holds the cross-tenant role.
    database.connect(this.analyticsFunction, ['app']);
    this.adminFunction = nodeFunction(this, 'Admin', {
      code: props.code,
      bundle: 'api',
      description: 'Regional API: admin routes, key outbox drained inline',
      timeout: Duration.seconds(29),
      environment: {
        ...shared,
        [RUNTIME_ENV.apiRole]: 'admin',
        [RUNTIME_ENV.keyTableName]: props.keyTable.tableName,
        // The secret keys are tagged with. Its leak would not let anyone in (a key still needs a secret
        // whose digest is stored); it would only let forged keys reach the edge's bounded lookups.
        [RUNTIME_ENV.keyTagVersion]: props.config.keyTagVersion ?? '',
        [RUNTIME_ENV.keyTagSecret]: props.config.keyTagSecrets[props.config.keyTagVersion ?? ''] ?? '',
      },
      vpc,
    });
    database.connect(this.adminFunction, ['app', 'system']);
    // The inline outbox drain only does conditional puts (regional/outbox/dynamo-key-store.ts).
    props.keyTable.grant(this.adminFunction, 'dynamodb:PutItem');

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
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
    // A ceiling for the whole API, so a runaway dashboard cannot exhaust Aurora's connections.
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: API_RATE_LIMIT, burstLimit: API_RATE_LIMIT * 2 },
    });
    // First gate only: API Gateway hands claims on as strings, so the Lambda verifies the token again.
    const authorizer = new HttpJwtAuthorizer('Cognito', auth.issuer, {
      jwtAudience: [auth.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    const analytics = new HttpLambdaIntegration('AnalyticsIntegration', this.analyticsFunction);
    const admin = new HttpLambdaIntegration('AdminIntegration', this.adminFunction);
    for (const [method, path] of ANALYTICS_ROUTES) {
      this.httpApi.addRoutes({ path, methods: [method], integration: analytics, authorizer });
    }
    for (const [method, path] of ADMIN_ROUTES) {
      this.httpApi.addRoutes({ path, methods: [method], integration: admin, authorizer });
    }
    // Health needs no token (load balancers and uptime checks).
    this.httpApi.addRoutes({ path: '/v1/health', methods: [GET], integration: admin });
  }
}
