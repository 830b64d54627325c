// Regional API configuration from the environment: read once through runtime/env.ts, failing loudly by name.
import * as v from 'valibot';
import { KEY_TAG_SECRET_RE, KEY_TAG_VERSION_RE, type KeyTagSecret } from '../../contract/index.ts';
import { ConfigError, logLevel, parseEnv, serviceName } from '../../runtime/env.ts';
import type { LogLevel } from '../../runtime/log.ts';
import { type DatabaseCredentials, hasRoleCredentials, roleCredentials } from '../db/credentials.ts';
import type { AuthConfig } from './auth/verifier.ts';

const nonEmpty = v.pipe(v.string(), v.minLength(1));

const EnvSchema = v.object({
  AUTH_MODE: v.optional(v.picklist(['cognito', 'oidc']), 'cognito'),
  COGNITO_USER_POOL_ID: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z]{2}-[a-z]+-\d_[0-9A-Za-z]+$/, 'must be a user pool id')),
  ),
  COGNITO_CLIENT_ID: v.optional(nonEmpty),
  OIDC_ISSUER: v.optional(v.pipe(v.string(), v.url())),
  OIDC_AUDIENCE: v.optional(nonEmpty),
  OIDC_JWKS_URI: v.optional(v.pipe(v.string(), v.url())),
  KEY_TABLE_NAME: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{3,255}$/)), 'llmo-api-keys'),
  DYNAMODB_ENDPOINT: v.optional(v.pipe(v.string(), v.url())),
  MAX_RANGE_DAYS: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number of days'), v.transform(Number)),
    '31',
  ),
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: serviceName('llmo-api'),
  /**
   * Version (one base62 character) and secret of the key tag new API keys carry; the edge holds them
   * too. Both or neither: the analytics function has neither, as it never mints keys.
   */
  KEY_TAG_VERSION: v.optional(
    v.pipe(v.string(), v.regex(KEY_TAG_VERSION_RE, 'must be one base62 character')),
  ),
  KEY_TAG_SECRET: v.optional(
    v.pipe(v.string(), v.regex(KEY_TAG_SECRET_RE, 'must be base64url of at least 32 bytes')),
  ),
});

/** Validated settings of the regional API Lambdas. */
export type ApiConfig = {
  auth: AuthConfig;
  /** llmo_app: APP_DATABASE_URL, or APP_DB_SECRET_ARN next to DATABASE_HOST/PORT/NAME (regional/db/credentials.ts). */
  appDatabase: DatabaseCredentials;
  /**
   * llmo_system, for the admin routes' inline outbox drain: SYSTEM_DATABASE_URL or SYSTEM_DB_SECRET_ARN.
   * The analytics function has neither and never holds the cross-tenant role.
   */
  systemDatabase: DatabaseCredentials | undefined;
  keyTableName: string;
  dynamoEndpoint: string | undefined;
  maxRangeDays: number;
  logLevel: LogLevel;
  /** Names this function in every log line (the stack sets analytics and admin apart). */
  serviceName: string;
  /** Absent only in the analytics function, which never mints keys. */
  keyTagSecret: KeyTagSecret | undefined;
};

function required(value: string | undefined, name: string): string {
  if (!value) throw new ConfigError(`Invalid configuration: ${name} is required`);
  return value;
}

/** Reads the configuration; throws `ConfigError` naming the first bad variable. */
export function loadApiConfig(env: Readonly<Record<string, string | undefined>> = process.env): ApiConfig {
  const e = parseEnv(EnvSchema, env);
  const auth: AuthConfig =
    e.AUTH_MODE === 'cognito'
      ? {
          kind: 'cognito',
          userPoolId: required(e.COGNITO_USER_POOL_ID, 'COGNITO_USER_POOL_ID'),
          clientId: required(e.COGNITO_CLIENT_ID, 'COGNITO_CLIENT_ID'),
        }
      : {
          kind: 'oidc',
          issuer: required(e.OIDC_ISSUER, 'OIDC_ISSUER'),
          audience: required(e.OIDC_AUDIENCE, 'OIDC_AUDIENCE'),
          ...(e.OIDC_JWKS_URI ? { jwksUri: e.OIDC_JWKS_URI } : {}),
          tokenUse: 'id',
        };
  return {
    auth,
    appDatabase: roleCredentials('app', env),
    systemDatabase: hasRoleCredentials('system', env) ? roleCredentials('system', env) : undefined,
    keyTableName: e.KEY_TABLE_NAME,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    maxRangeDays: e.MAX_RANGE_DAYS,
    keyTagSecret:
      e.KEY_TAG_VERSION === undefined && e.KEY_TAG_SECRET === undefined
        ? undefined
        : {
            version: required(e.KEY_TAG_VERSION, 'KEY_TAG_VERSION'),
            secret: required(e.KEY_TAG_SECRET, 'KEY_TAG_SECRET'),
          },
    logLevel: e.LOG_LEVEL,
    serviceName: e.POWERTOOLS_SERVICE_NAME,
  };
}
