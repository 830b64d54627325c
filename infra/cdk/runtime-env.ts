// Environment variable names the stacks give the regional Lambdas: the names their entry points read.
import { CREDENTIAL_ENV, DATABASE_ENV } from '../../regional/db/credentials.ts';

/**
 * Matches what the entry points validate. The database is reached one way (regional/db/credentials.ts):
 * host/port/name plus the ARN of each role's secret, read at cold start and re-read when a rotated
 * password is refused, so no password ever appears in a function's configuration.
 */
export const RUNTIME_ENV = {
  databaseHost: DATABASE_ENV.host,
  databasePort: DATABASE_ENV.port,
  databaseName: DATABASE_ENV.name,
  /** Secret (RDS JSON: username, password, …) of the Aurora master user: migrations only. */
  ownerSecretArn: CREDENTIAL_ENV.owner.secretArn,
  /** Secret of `llmo_app` (API: row-level security applies). */
  appSecretArn: CREDENTIAL_ENV.app.secretArn,
  /** Secret of `llmo_system` (loader, outbox sweep, maintenance, tiers, the admin API's inline drain). */
  systemSecretArn: CREDENTIAL_ENV.system.secretArn,
  keyTableName: 'KEY_TABLE_NAME',
  /** Version and secret of the API keys' prefix tag (admin function only; the edge bundle holds them too). */
  keyTagVersion: 'KEY_TAG_VERSION',
  /** ARN of the JSON secret `{"<version>": "<secret>"}` (infra/cdk/core/key-tag.ts). */
  keyTagSecretArn: 'KEY_TAG_SECRET_ARN',
  userPoolId: 'COGNITO_USER_POOL_ID',
  userPoolClientId: 'COGNITO_CLIENT_ID',
  retentionDays: 'RETENTION_DAYS',
  /** DEBUG | INFO | WARN | ERROR (regional/api/config.ts). */
  logLevel: 'LOG_LEVEL',
  /** Names the function in every log line: `llmo-<bundle>`, or `llmo-api-analytics` / `llmo-api-admin`. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Node 20+ Lambda runtimes only trust the RDS CA bundle when pointed at it. */
  extraCaCerts: 'NODE_EXTRA_CA_CERTS',
} as const;

/** Where the Lambda runtime keeps the Amazon RDS CA bundle. */
export const LAMBDA_RDS_CA_BUNDLE = '/var/runtime/ca-cert.pem';
