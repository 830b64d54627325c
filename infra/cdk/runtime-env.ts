// Environment variable names the stacks give the regional Lambdas: the names their entry points read.

/**
 * Matches what the entry points validate. Two ways to reach the database exist:
 * - URL variables (regional/api/config.ts, regional/entries/outbox-sweep.ts, regional/db/migrate-cli.ts):
 *   the password is a CloudFormation dynamic reference to the role's secret, resolved at deploy time.
 * - host/port/name + secret ARN (regional/loader/database-url.ts): the function reads the secret at
 *   cold start, so the password never appears in the function's configuration (see README, "Secrets").
 */
export const RUNTIME_ENV = {
  /** Owner role URL (migrations only), as `npm run migrate` reads it. */
  ownerDatabaseUrl: 'DATABASE_URL',
  /** `llmo_app` (API: row-level security applies). */
  appDatabaseUrl: 'APP_DATABASE_URL',
  /** `llmo_system` (loader, outbox sweep, maintenance, the admin API's inline outbox drain). */
  systemDatabaseUrl: 'SYSTEM_DATABASE_URL',
  /** Passwords the migration sets on the service roles (regional/db/roles.ts). */
  appPassword: 'LLMO_APP_DB_PASSWORD',
  systemPassword: 'LLMO_SYSTEM_DB_PASSWORD',
  databaseHost: 'DATABASE_HOST',
  databasePort: 'DATABASE_PORT',
  databaseName: 'DATABASE_NAME',
  /** Secret (RDS JSON: username, password, host, port, dbname) of `llmo_system`, read at runtime. */
  systemSecretArn: 'SYSTEM_DB_SECRET_ARN',
  keyTableName: 'KEY_TABLE_NAME',
  userPoolId: 'COGNITO_USER_POOL_ID',
  userPoolClientId: 'COGNITO_CLIENT_ID',
  retentionDays: 'RETENTION_DAYS',
  /** Which half of the API this function serves: `analytics` or `admin` (logs only; routing is API Gateway's). */
  apiRole: 'API_ROLE',
  /** DEBUG | INFO | WARN | ERROR (regional/api/config.ts). */
  logLevel: 'LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Node 20+ Lambda runtimes only trust the RDS CA bundle when pointed at it. */
  extraCaCerts: 'NODE_EXTRA_CA_CERTS',
} as const;

/** Where the Lambda runtime keeps the Amazon RDS CA bundle. */
export const LAMBDA_RDS_CA_BUNDLE = '/var/runtime/ca-cert.pem';
