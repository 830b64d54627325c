// Environment variable names the stacks give the regional Lambdas: the contract with their entry points.

/**
 * Every regional Lambda gets only the variables it needs. Database secrets are Secrets Manager JSON
 * (`username`, `password`, `host`, `port`, `dbname`, as RDS writes them); connect to DATABASE_HOST
 * (the RDS Proxy when enabled, else the cluster writer) with TLS required.
 */
export const RUNTIME_ENV = {
  databaseHost: 'DATABASE_HOST',
  databasePort: 'DATABASE_PORT',
  databaseName: 'DATABASE_NAME',
  /** Secret of the owner role (migrations only). */
  ownerSecretArn: 'OWNER_DB_SECRET_ARN',
  /** Secret of `llmo_app` (API: RLS applies). */
  appSecretArn: 'APP_DB_SECRET_ARN',
  /** Secret of `llmo_system` (loader, outbox, maintenance, the admin Lambda's inline outbox drain). */
  systemSecretArn: 'SYSTEM_DB_SECRET_ARN',
  keyTableName: 'KEY_TABLE_NAME',
  userPoolId: 'COGNITO_USER_POOL_ID',
  userPoolClientId: 'COGNITO_CLIENT_ID',
  retentionDays: 'RETENTION_DAYS',
  /** Which half of the API router this function serves: `analytics` or `admin` (logging only). */
  apiRole: 'API_ROLE',
  logLevel: 'LOG_LEVEL',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;
