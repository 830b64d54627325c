// Operator CLI: re-load landing objects (by key, from a local DLQ file, or every object with quarantined lines). Idempotent.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import * as v from 'valibot';
import { parseEnv } from '../../runtime/env.ts';
import { roleCredentials } from '../db/credentials.ts';
import { createPool } from '../db/pool.ts';
import { loadLoaderConfig } from './config.ts';
import { loadObject } from './load-object.ts';
import { type ObjectRef, s3ObjectSource } from './object-source.ts';
import { objectRefsOf } from './s3-event.ts';
import { QUARANTINE_REASON } from './stage-row.ts';

const USAGE = `usage: tsx regional/loader/replay-cli.ts --bucket B --key K [--key K2 …]
       tsx regional/loader/replay-cli.ts --dlq-file .data/loader-dlq.ndjson
       tsx regional/loader/replay-cli.ts --quarantined --since 2026-12-01   (objects with lines the database refused)
env:   SYSTEM_DATABASE_URL (llmo_system role) or DATABASE_HOST/DATABASE_NAME/SYSTEM_DB_SECRET_ARN;
       S3_ENDPOINT for an S3-compatible endpoint (the local stand-in: http://127.0.0.1:4005)`;

/** Objects with quarantined lines (dead_letters reason rejected_by_database) since a day, oldest first. */
async function quarantinedRefs(pool: pg.Pool, since: string): Promise<ObjectRef[]> {
  const { rows } = await pool.query<{ bucket: string; key: string }>(
    `SELECT bucket, object_key AS key FROM dead_letters WHERE reason = $1 AND created_at >= $2::date
     GROUP BY bucket, object_key ORDER BY min(created_at)`,
    [QUARANTINE_REASON, since],
  );
  return rows;
}

async function refsFrom(
  pool: pg.Pool,
  values: { bucket?: string; key?: string[]; 'dlq-file'?: string; quarantined?: boolean; since?: string },
): Promise<ObjectRef[]> {
  if (values.quarantined) {
    if (!values.since || !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) throw new Error(USAGE);
    return quarantinedRefs(pool, values.since);
  }
  if (values['dlq-file']) {
    const text = await readFile(values['dlq-file'], 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => objectRefsOf((JSON.parse(line) as { body: string }).body));
  }
  if (!values.bucket || !values.key?.length) throw new Error(USAGE);
  const bucket = values.bucket;
  return values.key.map((key) => ({ bucket, key }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bucket: { type: 'string' },
      key: { type: 'string', multiple: true },
      'dlq-file': { type: 'string' },
      quarantined: { type: 'boolean' },
      since: { type: 'string' },
    },
  });
  const config = loadLoaderConfig();
  const { S3_ENDPOINT: endpoint, AWS_REGION: region } = parseEnv(
    v.object({
      S3_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
      AWS_REGION: v.optional(v.pipe(v.string(), v.minLength(1)), 'us-east-1'),
    }),
  );
  const s3 = new S3Client(
    endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          region,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const pool = createPool(roleCredentials('system'), {
    max: 1,
    applicationName: 'llmo-replay',
    statementTimeoutMs: 600_000,
  });
  let failed = 0;
  try {
    const refs = await refsFrom(pool, values);
    for (const ref of refs) {
      try {
        const result = await loadObject(ref, {
          pool,
          source: s3ObjectSource(s3),
          chunkLines: config.chunkLines,
          maxLineBytes: config.maxLineBytes,
        });
        console.log(JSON.stringify({ ...ref, ...result }));
      } catch (error) {
        failed++;
        const cause =
          error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
        console.log(
          JSON.stringify({ ...ref, error: error instanceof Error ? error.message : String(error), cause }),
        );
      }
    }
  } finally {
    await pool.end();
    s3.destroy();
  }
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
