// Composition root of the loader: pool, object source, SQS handler and the rollup jobs it runs, for Lambda and the local stack.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type pg from 'pg';
import type { Logger } from '../../runtime/log.ts';
import { createPool, type DatabaseSource } from '../db/pool.ts';
import { type WiredRollups, wireRollups } from '../rollups/wire.ts';
import type { LoaderConfig } from './config.ts';
import { type LoadDeps, loadObject } from './load-object.ts';
import { s3ObjectSource } from './object-source.ts';
import { createSqsHandler } from './sqs-handler.ts';

/** Everything the loader needs, already validated. */
export interface LoaderWiring {
  config: LoaderConfig;
  /** `llmo_system` (cross-org by RLS policy): a URL locally, the role's secret in AWS. */
  systemDatabase: DatabaseSource;
  /** The landing bucket's client (AWS, or the local stand-in's endpoint). */
  s3: S3Client;
  /** One connection per concurrent object; a Lambda handles one batch at a time. */
  poolMax: number;
  statementTimeoutMs: number;
  /** Names the connections in pg_stat_activity. */
  applicationName?: string;
  log: Logger;
  /** Fault-injection seam for tests; production passes none. */
  beforeCommit?: LoadDeps['beforeCommit'];
}

/** The wired loader. */
export interface WiredLoader {
  /** SQS messages carrying S3 notifications → loadObject, partial batch response. */
  handle(event: SQSEvent, context?: Context): Promise<SQSBatchResponse>;
  /** Partition maintenance and tier refresh on the loader's pool. */
  rollups: WiredRollups;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Builds the loader's dependencies once per process. */
export function wireLoader(w: LoaderWiring): WiredLoader {
  const { config, log } = w;
  const pool = createPool(w.systemDatabase, {
    max: w.poolMax,
    applicationName: w.applicationName ?? 'llmo-loader',
    statementTimeoutMs: w.statementTimeoutMs,
    // An idle connection dropped by the server (restart, failover) must not crash the process.
    log,
  });
  const deps: LoadDeps = {
    pool,
    source: s3ObjectSource(w.s3),
    chunkLines: config.chunkLines,
    maxLineBytes: config.maxLineBytes,
    ...(w.beforeCommit ? { beforeCommit: w.beforeCommit } : {}),
  };
  const handle = createSqsHandler({ load: (ref) => loadObject(ref, deps), logger: log });
  const rollups = wireRollups(pool, log, {
    retentionDays: config.retentionDays,
    aheadDays: config.aheadDays,
  });
  return {
    handle,
    rollups,
    pool,
    async close() {
      await pool.end();
    },
  };
}
