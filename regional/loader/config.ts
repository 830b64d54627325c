// Loader and maintenance settings: read once from the environment through runtime/env.ts, failing loudly by name.
import * as v from 'valibot';
import { logLevel, parseEnv, serviceName, wholeNumber } from '../../runtime/env.ts';
import type { LogLevel } from '../../runtime/log.ts';

const Settings = {
  /** Days of telemetry kept; partitions older than that are dropped. */
  RETENTION_DAYS: wholeNumber(30, 1, 3650),
  /** Days ahead that must already have a partition (also how far in the future an event may be). */
  PARTITION_AHEAD_DAYS: wholeNumber(14, 1, 365),
  /** Lines per COPY/insert round inside an object's transaction. */
  LOADER_CHUNK_LINES: wholeNumber(4096, 1, 1_000_000),
  /** Longest accepted NDJSON line in bytes. */
  LOADER_MAX_LINE_BYTES: wholeNumber(1024 * 1024, 1024, 64 * 1024 * 1024),
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
