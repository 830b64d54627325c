// Loader benchmark: loader events/s (read → validate → stage → dedupe → rollups) beside a raw COPY of the same rows,
// plus the time from a landing object's notification to its rows being visible. Method: README.md.
import { randomBytes } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as v from 'valibot';
import { objectCreatedEvent } from '../../contract/index.ts';
import { localS3Client } from '../../infra/local/firehose.ts';
import { startEmbeddedPostgres } from '../../infra/local/postgres.ts';
import { startS3Server } from '../../infra/local/s3-server.ts';
import { createApiKey, createOrg, createProject } from '../../infra/testing/factories.ts';
import { freePort } from '../../infra/testing/free-port.ts';
import { migrate } from '../../regional/db/migrate.ts';
import { createPool } from '../../regional/db/pool.ts';
import { databaseUrls } from '../../regional/db/urls.ts';
import { writeLandingObjectStream } from '../../regional/loader/envelope-fixtures.ts';
import { fileObjectSource } from '../../regional/loader/file-object-source.ts';
import { DEFAULT_CHUNK_LINES, loadObject } from '../../regional/loader/load-object.ts';
import { ndjsonLines } from '../../regional/loader/ndjson-lines.ts';
import { s3ObjectSource } from '../../regional/loader/object-source.ts';
import { createSqsHandler, sqsEventOf } from '../../regional/loader/sqs-handler.ts';
import { STAGE_COLUMNS, type StageCounts, stageRow } from '../../regional/loader/stage-row.ts';
import { parseEnv, wholeNumber } from '../../runtime/env.ts';

const env = parseEnv(
  v.object({
    LOADER_BENCH_EVENTS: wholeNumber(200_000, 1),
    LOADER_BENCH_ROUNDS: wholeNumber(3, 1),
    LOADER_BENCH_LATENCY_OBJECTS: wholeNumber(20, 1),
    LOADER_CHUNK_LINES: wholeNumber(DEFAULT_CHUNK_LINES, 1),
    /** `ab` alternates the savepoint fast path on/off per round (diagnostic). */
    LOADER_BENCH_FAST_PATH: v.optional(v.picklist(['on', 'off', 'ab'], 'must be on, off or ab'), 'on'),
    LOADER_BENCH_ACTORS: v.optional(v.picklist(['on', 'off', 'ab'], 'must be on, off or ab'), 'off'),
  }),
);
const EVENTS = env.LOADER_BENCH_EVENTS;
const ROUNDS = env.LOADER_BENCH_ROUNDS;
const LATENCY_OBJECTS = env.LOADER_BENCH_LATENCY_OBJECTS;
const CHUNK_LINES = env.LOADER_CHUNK_LINES;
const FAST_PATH_MODE = env.LOADER_BENCH_FAST_PATH;
const ACTORS_MODE = env.LOADER_BENCH_ACTORS;

/** The postmaster's pid: the parent of any backend. */
async function postmasterPid(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const stat = readFileSync(`/proc/${rows[0]?.pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * CPU seconds used so far by the PostgreSQL cluster: the postmaster's own and its reaped children's
 * (cutime/cstime: backends and workers that have exited) plus every live child's.
 */
function postgresCpuSeconds(postmaster: number): number {
  const ticks = 100; // USER_HZ on Linux
  const fieldsOf = (pid: number | string): string[] => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  const pm = fieldsOf(postmaster);
  let total = (Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14])) / ticks;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === postmaster) continue;
    try {
      const fields = fieldsOf(entry);
      if (Number(fields[1]) !== postmaster) continue;
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // process ended while we looked (its time moves to the postmaster's cutime/cstime)
    }
  }
  return total;
}

function nodeCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Wall time and CPU (this Node process, the PostgreSQL cluster) of one measured step. */
async function measure<T>(
  postmaster: number,
  fn: () => Promise<T>,
): Promise<{ value: T; wall: number; node: number; pg: number }> {
  const n0 = nodeCpuSeconds();
  const p0 = postgresCpuSeconds(postmaster);
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  return { value, wall, node: nodeCpuSeconds() - n0, pg: postgresCpuSeconds(postmaster) - p0 };
}

/** The rows the loader would COPY, as COPY text in memory (so the raw COPY measures PostgreSQL only). */
async function stagedText(file: string, days: Set<number>): Promise<string[]> {
  const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
  const text: string[] = [];
  let slice = '';
  for await (const lines of ndjsonLines(createReadStream(file).pipe(createGunzip()))) {
    for (const l of lines) slice += stageRow(l, days, counts);
    if (slice.length > 256 * 1024) {
      text.push(slice);
      slice = '';
    }
  }
  text.push(slice);
  return text;
}

async function rawCopy(owner: pg.Pool, text: string[]): Promise<void> {
  const client = await owner.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_raw');
    // Same columns and types as the loader's rows, no index, no constraint, logged like telemetry_events.
    await client.query(
      `CREATE TABLE bench_raw (${STAGE_COLUMNS.join(', ').replace('event text', 'event json')})`,
    );
    await pipeline(Readable.from(text), client.query(copyFrom('COPY bench_raw FROM STDIN')) as Writable);
  } finally {
    client.release();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};
const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))] ?? Number.NaN;
};

async function main(): Promise<void> {
  const loadAtStart = os.loadavg().map((x) => +x.toFixed(2));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-loader-bench-'));
  const dataDir = path.join(dir, 'pg');
  const cluster = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    password: randomBytes(12).toString('hex'),
    persistent: false,
  });
  const s3 = await startS3Server({ port: 0, dataDir: path.join(dir, 's3'), buckets: ['llmo-landing'] });
  const s3Client = localS3Client(s3.endpoint);
  try {
    const passwords = { app: randomBytes(12).toString('hex'), system: randomBytes(12).toString('hex') };
    await migrate({ ownerUrl: cluster.url, passwords });
    const urls = databaseUrls(cluster.url, passwords);
    const system = createPool(urls.system, { max: 4, statementTimeoutMs: 600_000 });
    const owner = createPool(urls.owner, { max: 2, statementTimeoutMs: 600_000 });
    // Idle connections are closed when the cluster stops; that is not an error here.
    system.on('error', () => {});
    owner.on('error', () => {});
    const postmaster = await postmasterPid(owner);
    const org = await createOrg(system);
    const project = await createProject(system, org.id);
    const key = await createApiKey(system, org.id, project.id);
    const tenant = { orgId: org.id, projectId: project.id, keyId: key.id };
    const { rows: dayRows } = await system.query<{ d: number }>(
      "SELECT (day - date '1970-01-01')::int AS d FROM llmo_telemetry_partition_days() AS day",
    );
    const days = new Set(dayRows.map((r) => r.d));
    const files = fileObjectSource(path.join(dir, 'objects'));
    const deps = { pool: system, source: files, chunkLines: CHUNK_LINES };

    const rounds: Array<Record<string, number>> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const run = `r${r}-${randomBytes(3).toString('hex')}`;
      const objKey = `bench/${run}.gz`;
      const file = path.join(dir, 'objects', 'b', objKey);
      // ab: even rounds without user / session ids, odd rounds with them (same machine, interleaved).
      const actors = ACTORS_MODE === 'ab' ? r % 2 === 1 : ACTORS_MODE === 'on';
      const rawBytes = await writeLandingObjectStream(file, tenant, run, EVENTS, 6, actors);
      const text = await stagedText(file, days);
      const raw = await measure(postmaster, () => rawCopy(owner, text));
      text.length = 0;
      const fastPath = FAST_PATH_MODE === 'ab' ? r % 2 === 0 : FAST_PATH_MODE !== 'off';
      const load = await measure(postmaster, () =>
        loadObject({ bucket: 'b', key: objKey }, { ...deps, fastPath }),
      );
      if (load.value.inserted !== EVENTS) throw new Error(`loaded ${load.value.inserted} of ${EVENTS}`);
      const again = await measure(postmaster, () => loadObject({ bucket: 'b', key: objKey }, deps));
      if (again.value.inserted !== 0) throw new Error('redelivery inserted rows');
      const row = {
        round: r + 1,
        fast_path: fastPath ? 1 : 0,
        actors: actors ? 1 : 0,
        events: EVENTS,
        object_mib: +(rawBytes / 2 ** 20).toFixed(1),
        gzip_mib: +((await stat(file)).size / 2 ** 20).toFixed(1),
        raw_copy_eps: Math.round(EVENTS / raw.wall),
        loader_eps: Math.round(EVENTS / load.wall),
        ratio: +(raw.wall / load.wall).toFixed(3),
        raw_copy_pg_cpu_us: +((raw.pg / EVENTS) * 1e6).toFixed(2),
        loader_pg_cpu_us: +((load.pg / EVENTS) * 1e6).toFixed(2),
        loader_node_cpu_us: +((load.node / EVENTS) * 1e6).toFixed(2),
        redelivery_eps: Math.round(EVENTS / again.wall),
      };
      rounds.push(row);
      console.log(JSON.stringify(row));
      await owner.query('DROP TABLE IF EXISTS bench_raw');
    }

    // Notification → rows visible: objects the size of a 1 MiB Firehose buffer (about 1,300 events),
    // put into the S3 stand-in, then handed to the SQS handler as their notification would be.
    const handler = createSqsHandler({
      load: (ref) =>
        loadObject(ref, { pool: system, source: s3ObjectSource(s3Client), chunkLines: CHUNK_LINES }),
      logger: { info: () => {}, error: (m, e) => console.error(m, e) },
    });
    const latencies: number[] = [];
    const perObject = 1300;
    for (let i = 0; i < LATENCY_OBJECTS; i++) {
      const run = `lat${i}-${randomBytes(3).toString('hex')}`;
      const objKey = `2026/11/25/12/llmo-events-1-${run}.gz`;
      const file = path.join(dir, 'latency', objKey);
      await writeLandingObjectStream(file, tenant, run, perObject);
      await s3Client.send(
        new PutObjectCommand({ Bucket: 'llmo-landing', Key: objKey, Body: await readFile(file) }),
      );
      const t0 = performance.now();
      const res = await handler(
        sqsEventOf(JSON.stringify(objectCreatedEvent({ bucket: 'llmo-landing', key: objKey })), run),
      );
      if (res.batchItemFailures.length) throw new Error('latency object failed');
      // Visible to any other session: committed before the handler returned; check from another connection.
      const { rows } = await owner.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND event_id LIKE $2 || '-%'",
        [tenant.projectId, run],
      );
      latencies.push(performance.now() - t0);
      if (rows[0]?.n !== perObject) throw new Error(`only ${rows[0]?.n} rows visible`);
    }
    const summary = {
      events_per_round: EVENTS,
      rounds: ROUNDS,
      chunk_lines: CHUNK_LINES,
      median_raw_copy_eps: median(rounds.map((r) => r.raw_copy_eps ?? 0)),
      median_loader_eps: median(rounds.map((r) => r.loader_eps ?? 0)),
      median_ratio: median(rounds.map((r) => r.ratio ?? 0)),
      median_loader_pg_cpu_us: median(rounds.map((r) => r.loader_pg_cpu_us ?? 0)),
      median_raw_copy_pg_cpu_us: median(rounds.map((r) => r.raw_copy_pg_cpu_us ?? 0)),
      median_loader_node_cpu_us: median(rounds.map((r) => r.loader_node_cpu_us ?? 0)),
      notify_to_visible_ms: {
        objects: LATENCY_OBJECTS,
        events_each: perObject,
        p50: +pct(latencies, 0.5).toFixed(1),
        p95: +pct(latencies, 0.95).toFixed(1),
        max: +Math.max(...latencies).toFixed(1),
      },
      load_average_start: loadAtStart,
      load_average_end: os.loadavg().map((x) => +x.toFixed(2)),
      cpus: os.cpus().length,
    };
    console.log(JSON.stringify(summary, null, 2));
    await system.end();
    await owner.end();
  } finally {
    s3Client.destroy();
    await s3.stop();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exitCode = 1;
});
