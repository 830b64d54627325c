// Core load of one landing object: stream → lines → validated staging rows (COPY) → dedupe insert + rollups.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CREATE_DELTA_SQL, UPSERT_ROLLUPS_SQL } from '../rollups/minute-sql.ts';
import { isContentError } from './content-error.ts';
import { LoaderError, LoadFailedError, ObjectReadError } from './errors.ts';
import {
  BEGIN_ACTOR_DELTA_SQL,
  COPY_STAGE_SQL,
  CREATE_KEY_USE_SQL,
  CREATE_STAGE_SQL,
  DELTAS_FROM_STAGE_SQL,
  FOLD_ACTOR_DELTA_SQL,
  INSERT_DEAD_LETTERS_SQL,
  INSERT_EVENTS_PLAIN_SQL,
  INSERT_EVENTS_SQL,
  INSERT_QUARANTINE_SQL,
  KEY_USE_SQL,
  PARTITION_DAYS_SQL,
  RECORD_KEY_USE_SQL,
  TOUCH_KEY_SQL,
  TRUNCATE_STAGE_SQL,
} from './load-sql.ts';
import { DEFAULT_MAX_LINE_BYTES, ndjsonLines } from './ndjson-lines.ts';
import type { ObjectRef, ObjectSource } from './object-source.ts';
import { MAX_DEAD_LINE_CHARS, QUARANTINE_REASON, type StageCounts, stageRow } from './stage-row.ts';

/** What loading one object did. `duplicates` = good lines already stored (redelivery, resend, replay). */
export interface LoadResult extends StageCounts {
  inserted: number;
  duplicates: number;
  /** Lines the database refused (content it cannot store), kept in dead_letters as `rejected_by_database`. */
  quarantined: number;
  rollupRows: number;
  attempts: number;
  /** Wall time of the successful attempt, ms. */
  ms: number;
}

/** Dependencies of {@link loadObject}. */
export interface LoadDeps {
  /** Pool of the `llmo_system` role (cross-org by RLS policy). */
  pool: pg.Pool;
  source: ObjectSource;
  /** Lines longer than this become dead letters without being buffered. */
  maxLineBytes?: number;
  /** Lines per chunk: memory holds at most two chunks of COPY text (the one loading, the next one). */
  chunkLines?: number;
  /** Set false to always use INSERT … RETURNING (tests compare both paths). Default true. */
  fastPath?: boolean;
  /** Attempts on deadlock / serialization failure before giving up to SQS's redelivery. */
  maxAttempts?: number;
  /**
   * Fault-injection seam for tests: runs inside the transaction right before COMMIT, with the
   * backend pid. Production code never sets it.
   */
  beforeCommit?: (info: { pid: number; ref: ObjectRef }) => Promise<void>;
}

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
/** COPY text is built in slices of about this many characters (fewer, larger socket writes). */
const SLICE_CHARS = 64 * 1024;
/** Default lines per chunk: big enough to amortise per-statement cost, small enough to bound memory. */
export const DEFAULT_CHUNK_LINES = 4096;
/**
 * Chunks per object that may use the savepoint fast path. Each savepoint that writes takes a
 * subtransaction id; past 64 in one transaction PostgreSQL's per-backend cache overflows and every
 * session's visibility checks slow down, so later chunks take the RETURNING path instead.
 */
const MAX_FAST_PATH_CHUNKS = 48;

/**
 * Inserts the staged chunk's good rows and records the rollup deltas of exactly the rows inserted.
 * Returns how many rows were inserted.
 */
async function insertChunk(client: pg.PoolClient, good: number, fastPath: boolean): Promise<number> {
  if (fastPath) {
    await client.query('SAVEPOINT llmo_chunk');
    const plain = await client.query(INSERT_EVENTS_PLAIN_SQL);
    const n = plain.rowCount ?? 0;
    if (n === good) await client.query(DELTAS_FROM_STAGE_SQL);
    if (n === good || n === 0) {
      await client.query('RELEASE SAVEPOINT llmo_chunk');
      return n;
    }
    // Some rows were duplicates: undo, and let RETURNING say exactly which rows go in.
    await client.query('ROLLBACK TO SAVEPOINT llmo_chunk');
    await client.query('RELEASE SAVEPOINT llmo_chunk');
  }
  const { rows } = await client.query<{ inserted: number }>(INSERT_EVENTS_SQL);
  return rows[0]?.inserted ?? 0;
}

/** One chunk of staged lines, as COPY text. */
interface StageChunk {
  slices: string[];
  good: number;
  rejected: number;
  /** Isolating mode only: each line's COPY row and source text, so any one can be loaded or quarantined. */
  rows?: StagedLine[];
}

/** One staged line, kept apart in isolating mode. */
interface StagedLine {
  lineNumber: number;
  row: string;
  text: string;
}

function decoded(body: Readable, ref: ObjectRef): Readable {
  if (!ref.key.endsWith('.gz')) return body;
  // Larger output chunks: fewer callbacks and line-splitting rounds per object.
  const gunzip = createGunzip({ chunkSize: 128 * 1024 });
  body.on('error', (e) => gunzip.destroy(e));
  return body.pipe(gunzip);
}

/** Reads the object and yields it as chunks of COPY text; the next chunk is built while the last loads. */
async function* stageChunks(
  bytes: Readable,
  days: ReadonlySet<number>,
  counts: StageCounts,
  maxLineBytes: number,
  chunkLines: number,
  isolating: boolean,
): AsyncGenerator<StageChunk> {
  const fresh = (): StageChunk => ({ slices: [], good: 0, rejected: 0, ...(isolating ? { rows: [] } : {}) });
  let chunk = fresh();
  let slice = '';
  let lines = 0;
  for await (const group of ndjsonLines(bytes, maxLineBytes)) {
    for (const line of group) {
      const good = counts.good;
      const row = stageRow(line, days, counts);
      slice += row;
      chunk.rows?.push({ lineNumber: line.lineNumber, row, text: line.tooLong ? line.head : line.text });
      if (counts.good > good) chunk.good++;
      else chunk.rejected++;
      if (slice.length >= SLICE_CHARS) {
        chunk.slices.push(slice);
        slice = '';
      }
      if (++lines >= chunkLines) {
        if (slice) chunk.slices.push(slice);
        slice = '';
        lines = 0;
        yield chunk;
        chunk = fresh();
      }
    }
  }
  if (slice) chunk.slices.push(slice);
  if (chunk.slices.length > 0) yield chunk;
}

async function copySlices(client: pg.PoolClient, slices: string[]): Promise<void> {
  const copy: Writable = client.query(copyFrom(COPY_STAGE_SQL));
  const done = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  for (const s of slices) {
    if (!copy.write(s)) await Promise.race([once(copy, 'drain'), done]);
  }
  copy.end();
  await done;
}

/** A staged line the database refused: into dead_letters with the database's own words. */
async function quarantine(
  client: pg.PoolClient,
  ref: ObjectRef,
  line: StagedLine,
  error: unknown,
): Promise<void> {
  // COPY columns 5 and 6 are org_id and project_id (uuids need no COPY escaping; \N is null).
  const fields = line.row.split('\t', 6);
  const id = (f: string | undefined) => (f && f !== '\\N' ? f : null);
  const e = error as { code?: string; message?: string };
  await client.query(INSERT_QUARANTINE_SQL, [
    id(fields[4]),
    id(fields[5]),
    ref.bucket,
    ref.key,
    line.lineNumber,
    QUARANTINE_REASON,
    `${e.code ?? 'error'}: ${e.message ?? String(error)}`.slice(0, 2000),
    line.text.slice(0, MAX_DEAD_LINE_CHARS).replaceAll('\u0000', '\ufffd'),
  ]);
}

/**
 * Isolating mode: loads `lines` under a savepoint; if the database refuses their content, splits them
 * in halves until each refused line stands alone, loads everything else, and quarantines the refused
 * ones. All inside the object's one transaction, so exactly-once holds as in the normal path.
 */
async function loadIsolated(
  client: pg.PoolClient,
  ref: ObjectRef,
  lines: StagedLine[],
  tally: { quarantined: number },
): Promise<number> {
  await client.query('SAVEPOINT llmo_part');
  try {
    await client.query(TRUNCATE_STAGE_SQL);
    await copySlices(
      client,
      lines.map((l) => l.row),
    );
    await client.query(INSERT_DEAD_LETTERS_SQL, [ref.bucket, ref.key]);
    const { rows } = await client.query<{ inserted: number }>(INSERT_EVENTS_SQL);
    await client.query(RECORD_KEY_USE_SQL);
    await client.query('RELEASE SAVEPOINT llmo_part');
    return rows[0]?.inserted ?? 0;
  } catch (error) {
    if (!isContentError(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT llmo_part');
    await client.query('RELEASE SAVEPOINT llmo_part');
    const [only] = lines;
    if (lines.length === 1 && only) {
      await quarantine(client, ref, only, error);
      tally.quarantined++;
      return 0;
    }
    const half = Math.ceil(lines.length / 2);
    return (
      (await loadIsolated(client, ref, lines.slice(0, half), tally)) +
      (await loadIsolated(client, ref, lines.slice(half), tally))
    );
  }
}

async function loadOnce(
  deps: LoadDeps,
  ref: ObjectRef,
  isolating: boolean,
): Promise<Omit<LoadResult, 'attempts'>> {
  const started = performance.now();
  const client = await deps.pool.connect();
  let broken: Error | undefined;
  // A backend killed while we hold the client surfaces as an 'error' event on it; without a listener
  // that would crash the process. The failing query rejects too, which is what we act on.
  const onClientError = (error: Error): void => {
    broken ??= error;
  };
  client.on('error', onClientError);
  let body: Readable | undefined;
  try {
    await client.query('BEGIN');
    const { rows: dayRows } = await client.query<{ d: number }>(PARTITION_DAYS_SQL);
    const days = new Set(dayRows.map((r) => r.d));
    await client.query(CREATE_STAGE_SQL);
    await client.query(CREATE_DELTA_SQL);
    await client.query(CREATE_KEY_USE_SQL);
    await client.query(BEGIN_ACTOR_DELTA_SQL);
    body = await deps.source.open(ref);
    const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
    const chunks = stageChunks(
      decoded(body, ref),
      days,
      counts,
      deps.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      deps.chunkLines ?? DEFAULT_CHUNK_LINES,
      isolating,
    );
    let inserted = 0;
    const tally = { quarantined: 0 };
    let fastChunks = 0;
    let pending = chunks.next();
    for (let first = true; ; first = false) {
      let next: IteratorResult<StageChunk>;
      try {
        next = await pending;
      } catch (cause) {
        throw new ObjectReadError(`cannot read s3://${ref.bucket}/${ref.key}`, { cause });
      }
      if (next.done) break;
      // Start building the following chunk now: it proceeds whenever we wait on the database.
      pending = chunks.next();
      pending.catch(() => {}); // observed on the next turn; avoid an unhandled-rejection report meanwhile
      if (next.value.rows) {
        inserted += await loadIsolated(client, ref, next.value.rows, tally);
        continue;
      }
      if (!first) await client.query(TRUNCATE_STAGE_SQL);
      await copySlices(client, next.value.slices);
      if (next.value.rejected > 0) await client.query(INSERT_DEAD_LETTERS_SQL, [ref.bucket, ref.key]);
      if (next.value.good > 0) {
        await client.query(RECORD_KEY_USE_SQL);
        inserted += await insertChunk(
          client,
          next.value.good,
          deps.fastPath !== false && fastChunks++ < MAX_FAST_PATH_CHUNKS,
        );
      }
    }
    let rollupRows = 0;
    if (inserted > 0) {
      const { rows } = await client.query<{ rollup_rows: number }>(UPSERT_ROLLUPS_SQL);
      rollupRows = rows[0]?.rollup_rows ?? 0;
    }
    if (deps.beforeCommit) {
      const pid = (client as unknown as { processID: number }).processID;
      await deps.beforeCommit({ pid, ref });
    }
    if (inserted > 0) await client.query(FOLD_ACTOR_DELTA_SQL);
    const { rows: keyUse } = await client.query<{ key_id: string; last_used_at: Date }>(KEY_USE_SQL);
    await client.query('COMMIT');
    // api_keys.last_used_at: after the commit, so the load never waits on (or holds) a key row's lock.
    for (const k of keyUse) await client.query(TOUCH_KEY_SQL, [k.key_id, k.last_used_at]);
    return {
      ...counts,
      // Quarantined lines were counted good by staging (valid envelopes), but are not stored.
      good: counts.good - tally.quarantined,
      inserted,
      duplicates: counts.good - tally.quarantined - inserted,
      quarantined: tally.quarantined,
      rollupRows,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    broken = error as Error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    body?.destroy();
    client.off('error', onClientError);
    // After any failure (mid-COPY, killed backend) the connection is discarded, never reused.
    client.release(broken);
  }
}

/**
 * Loads one landing object exactly-once in effect: whatever happens (redelivery, a concurrent loader on
 * the same object, a crash before commit, SDK resends), each (project, ts, event_id) is stored once and
 * counted once in the rollups, because both happen in one transaction driven by the insert's RETURNING.
 * Bad lines go to dead_letters and never block the good ones. If the database refuses a line's content
 * (a data exception or a program limit such as stack depth), the object is loaded again in isolating
 * mode: every other line loads, each refused line is quarantined (dead_letters, `rejected_by_database`).
 * Memory stays bounded (two chunks of COPY text) whatever the object's size. Throws a
 * {@link LoaderError} when the object must be retried as a whole (database or S3 unavailable).
 */
export async function loadObject(ref: ObjectRef, deps: LoadDeps): Promise<LoadResult> {
  const maxAttempts = deps.maxAttempts ?? 3;
  let isolating = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await loadOnce(deps, ref, isolating)), attempts: attempt };
    } catch (error) {
      // The normal path has no per-line savepoints (they cost subtransactions): only a refused
      // content sends the object through the slower isolating path, once.
      if (!isolating && isContentError(error)) {
        isolating = true;
        continue;
      }
      const code = (error as { code?: string }).code;
      if (code && RETRYABLE_SQLSTATES.has(code) && attempt < maxAttempts) continue;
      if (error instanceof LoaderError) throw error;
      throw new LoadFailedError(`loading s3://${ref.bucket}/${ref.key} failed`, { cause: error });
    }
  }
}
