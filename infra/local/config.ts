// The local stack's configuration: read once from the environment through runtime/env.ts, failing loudly by name.
import path from 'node:path';
import * as v from 'valibot';
import { logLevel, parseEnv, postgresUrl } from '../../runtime/env.ts';
import type { LogLevel } from '../../runtime/log.ts';

const port = (fallback: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,5}$/, 'must be a port number'),
      v.transform(Number),
      v.number(),
      v.minValue(1),
      v.maxValue(65535),
    ),
    String(fallback),
  );

const EnvSchema = v.object({
  LLMO_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), '.data'),
  DATABASE_URL: v.optional(postgresUrl),
  LLMO_WEB_PORT: port(3000),
  LLMO_API_PORT: port(4001),
  LLMO_INGEST_PORT: port(4002),
  LLMO_ISSUER_PORT: port(4003),
  LLMO_FIREHOSE_PORT: port(4004),
  LLMO_S3_PORT: port(4005),
  LLMO_DYNAMODB_PORT: port(4006),
  LLMO_POSTGRES_PORT: port(5433),
  LLMO_KEY_TABLE: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{3,255}$/)), 'llmo-api-keys'),
  LLMO_FIREHOSE_STREAM: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/)), 'llmo-events'),
  LLMO_LANDING_BUCKET: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9.-]{3,63}$/)), 'llmo-landing'),
  LLMO_WEB_MODE: v.optional(v.picklist(['build', 'dev'], 'must be build or dev'), 'build'),
  LOG_LEVEL: logLevel,
});

/** Validated local-stack settings. */
export interface LocalConfig {
  dataDir: string;
  /** An existing PostgreSQL (owner role) to use instead of the embedded one. */
  databaseUrl: string | undefined;
  ports: {
    web: number;
    api: number;
    ingest: number;
    issuer: number;
    firehose: number;
    s3: number;
    dynamodb: number;
    postgres: number;
  };
  keyTableName: string;
  firehoseStream: string;
  landingBucket: string;
  /** `build`: serve a production build of the dashboard (rebuilt when web/ changed); `dev`: `next dev`. */
  webMode: 'build' | 'dev';
  logLevel: LogLevel;
}

/** Reads and validates the environment once; throws `ConfigError` (runtime/env.ts) naming the first bad variable. */
export function loadLocalConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LocalConfig {
  const e = parseEnv(EnvSchema, env);
  return {
    dataDir: path.resolve(cwd, e.LLMO_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    ports: {
      web: e.LLMO_WEB_PORT,
      api: e.LLMO_API_PORT,
      ingest: e.LLMO_INGEST_PORT,
      issuer: e.LLMO_ISSUER_PORT,
      firehose: e.LLMO_FIREHOSE_PORT,
      s3: e.LLMO_S3_PORT,
      dynamodb: e.LLMO_DYNAMODB_PORT,
      postgres: e.LLMO_POSTGRES_PORT,
    },
    keyTableName: e.LLMO_KEY_TABLE,
    firehoseStream: e.LLMO_FIREHOSE_STREAM,
    landingBucket: e.LLMO_LANDING_BUCKET,
    webMode: e.LLMO_WEB_MODE,
    logLevel: e.LOG_LEVEL,
  };
}
