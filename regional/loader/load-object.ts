// Core load of one landing object: stream → lines → validated staging rows (COPY) → dedupe insert + rollups.

import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { LoaderError, LoadFailedError, ObjectReadError } from './errors.ts';
import {
  COPY_STAGE_SQL,
  CREATE_STAGE_SQL,
  INSERT_DEAD_LETTERS_SQL,
  INSERT_EVENTS_AND_ROLLUPS_SQL,
  PARTITION_DAYS_SQL,
} from './load-sql.ts';
import { DEFAULT_MAX_LINE_BYTES, ndjsonLines } from './ndjson-lines.ts';
import type { ObjectRef, ObjectSource } from './object-source.ts';
import { type StageCounts, stageRow } from './stage-row.ts';

/** What loading one object did. `duplicates` = good lines already stored (redelivery, resend, replay). */
export interface LoadResult extends StageCounts {
  inserted: number;
  duplicates: number;
  rollupRows: number;
  attempts: number;
}

/** Dependencies of {@link loadObject}. */
export interface LoadDeps {
  /** Pool of the `llmo_system` role (cross-org by RLS policy). */
  pool: pg.Pool;
  source: ObjectSource;
  /** Lines longer than this become dead letters without being buffered. */
  maxLineBytes?: number;
  /** Attempts on deadlock / serialization failure before giving up to SQS's redelivery. */
  maxAttempts?: number;
  /**
   * Fault-injection seam for tests: runs inside the transaction right before COMMIT, with the
   * backend pid. Production code never sets it.
   */
  beforeCommit?: (info: { pid: number; ref: ObjectRef }) => Promise<void>;
}

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
/** Rows are written to COPY in slices of about this many characters (fewer, larger socket writes). */
const COPY_SLICE_CHARS = 256 * 1024;

function isGzip(ref: ObjectRef): boolean {
  return ref.key.endsWith('.gz');
}

async function writeAll(stream: Writable, data: string): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

/** Streams the object's lines into the COPY; resolves when the COPY has completed. */
async function stageObject(
  client: pg.PoolClient,
  body: Readable,
  ref: ObjectRef,
  days: ReadonlySet<number>,
  counts: StageCounts,
  maxLineBytes: number,
): Promise<void> {
  const copy = client.query(copyFrom(COPY_STAGE_SQL));
  const copyDone = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  // An early COPY failure must not leave us writing into a dead stream forever.
  copyDone.catch(() => body.destroy());
  const bytes: Readable = isGzip(ref) ? body.pipe(createGunzip()) : body;
  if (bytes !== body) body.on('error', (e) => bytes.destroy(e));
  let slice = '';
  try {
    for await (const lines of ndjsonLines(bytes, maxLineBytes)) {
      for (const line of lines) slice += stageRow(line, days, counts);
      if (slice.length >= COPY_SLICE_CHARS) {
        await writeAll(copy, slice);
        slice = '';
      }
    }
  } catch (cause) {
    copy.destroy(cause as Error);
    throw new ObjectReadError(`cannot read s3://${ref.bucket}/${ref.key}`, { cause });
  }
  if (slice) await writeAll(copy, slice);
  copy.end();
  await copyDone;
}

async function loadOnce(deps: LoadDeps, ref: ObjectRef): Promise<Omit<LoadResult, 'attempts'>> {
  const client = await deps.pool.connect();
  let broken: Error | undefined;
  // A backend killed while we hold the client surfaces as an 'error' event on it; without a listener
  // that would crash the process. The failing query rejects too, which is what we act on.
  const onClientError = (error: Error): void => {
    broken ??= error;
  };
  client.on('error', onClientError);
  try {
    await client.query('BEGIN');
    const { rows: dayRows } = await client.query<{ d: number }>(PARTITION_DAYS_SQL);
    const days = new Set(dayRows.map((r) => r.d));
    await client.query(CREATE_STAGE_SQL);
    const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
    const body = await deps.source.open(ref);
    await stageObject(client, body, ref, days, counts, deps.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    if (counts.rejected > 0) await client.query(INSERT_DEAD_LETTERS_SQL, [ref.bucket, ref.key]);
    let inserted = 0;
    let rollupRows = 0;
    if (counts.good > 0) {
      const { rows } = await client.query<{ inserted: number; rollup_rows: number }>(
        INSERT_EVENTS_AND_ROLLUPS_SQL,
      );
      inserted = rows[0]?.inserted ?? 0;
      rollupRows = rows[0]?.rollup_rows ?? 0;
    }
    if (deps.beforeCommit) {
      const pid = (client as unknown as { processID: number }).processID;
      await deps.beforeCommit({ pid, ref });
    }
    await client.query('COMMIT');
    return { ...counts, inserted, duplicates: counts.good - inserted, rollupRows };
  } catch (error) {
    broken = error as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onClientError);
    // After any failure (mid-COPY, killed backend) the connection is discarded, never reused.
    client.release(broken);
  }
}

/**
 * Loads one landing object exactly-once in effect: whatever happens (redelivery, a concurrent loader on
 * the same object, a crash before commit, SDK resends), each (project, ts, event_id) is stored once and
 * counted once in the rollups, because both happen in one transaction driven by the insert's RETURNING.
 * Bad lines go to dead_letters and never block the good ones. Throws a {@link LoaderError} when the
 * object must be retried (by SQS redelivery).
 */
export async function loadObject(ref: ObjectRef, deps: LoadDeps): Promise<LoadResult> {
  const maxAttempts = deps.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await loadOnce(deps, ref)), attempts: attempt };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && RETRYABLE_SQLSTATES.has(code) && attempt < maxAttempts) continue;
      if (error instanceof LoaderError) throw error;
      throw new LoadFailedError(`loading s3://${ref.bucket}/${ref.key} failed`, { cause: error });
    }
  }
}
