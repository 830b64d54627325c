// Loader and maintenance settings: read once from the environment through runtime/env.ts, failing loudly by name.
import * as v from 'valibot';
import { logLevel, parseEnv, serviceName } from '../../runtime/env.ts';
import type { LogLevel } from '../../runtime/log.ts';

const intVar = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,9}$/, 'must be a whole number'),
      v.transform(Number),
      v.number(),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    String(fallback),
  );

const Settings = {
  /** Days of telemetry kept; partitions older than that are dropped. */
  RETENTION_DAYS: intVar(30, 1, 3650),
  /** Days ahead that must already have a partition (also how far in the future an event may be). */
  PARTITION_AHEAD_DAYS: intVar(14, 1, 365),
  /** Lines per COPY/insert round inside an object's transaction. */
  LOADER_CHUNK_LINES: intVar(4096, 1, 1_000_000),
  /** Longest accepted NDJSON line in bytes. */
  LOADER_MAX_LINE_BYTES: intVar(1024 * 1024, 1024, 64 * 1024 * 1024),
  LOG_LEVEL: logLevel,
};

/** Validated loader settings. */
export interface LoaderConfig {
  retentionDays: number;
  aheadDays: number;
  chunkLines: number;
  maxLineBytes: number;
  logLevel: LogLevel;
  /** Names the process in every log line (POWERTOOLS_SERVICE_NAME, set by the stack). */
  serviceName: string;
}

/**
 * Reads and validates the loader's variables once; throws `ConfigError` (runtime/env.ts) naming the
 * first bad one. `service` is the log name when POWERTOOLS_SERVICE_NAME is unset.
 */
export function loadLoaderConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  service = 'llmo-loader',
): LoaderConfig {
  const e = parseEnv(v.object({ ...Settings, POWERTOOLS_SERVICE_NAME: serviceName(service) }), env);
  return {
    retentionDays: e.RETENTION_DAYS,
    aheadDays: e.PARTITION_AHEAD_DAYS,
    chunkLines: e.LOADER_CHUNK_LINES,
    maxLineBytes: e.LOADER_MAX_LINE_BYTES,
    logLevel: e.LOG_LEVEL,
    serviceName: e.POWERTOOLS_SERVICE_NAME,
  };
}
