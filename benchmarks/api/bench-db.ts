// A throwaway (or kept) embedded PostgreSQL for the API benchmarks, migrated, with per-role pools.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../infra/local/postgres.ts';
import { freePort } from '../../infra/testing/free-port.ts';
import { rollupEvents, seedEvents } from '../../regional/api/testing/seed-telemetry.ts';
import { migrate } from '../../regional/db/migrate.ts';
import { createPool } from '../../regional/db/pool.ts';
import { type DatabaseUrls, databaseUrls } from '../../regional/db/urls.ts';

/** A running benchmark database. */
export type BenchDb = { urls: DatabaseUrls; stop(): Promise<void> };

/**
 * Starts PostgreSQL with its data in `dir` (kept between runs so a 10M-event data set is generated once)
 * and applies the migrations.
 */
export async function startBenchDb(dir: string): Promise<BenchDb> {
  await mkdir(dir, { recursive: true });
  const secretsFile = path.join(dir, 'secrets.json');
  const secrets = existsSync(secretsFile)
    ? (JSON.parse(await readFile(secretsFile, 'utf8')) as { owner: string; app: string; system: string })
    : {
        owner: randomBytes(12).toString('hex'),
        app: randomBytes(12).toString('hex'),
        system: randomBytes(12).toString('hex'),
      };
  await writeFile(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    password: secrets.owner,
    persistent: true,
  });
  const passwords = { app: secrets.app, system: secrets.system };
  await migrate({ ownerUrl: cluster.url, passwords });
  return { urls: databaseUrls(cluster.url, passwords), stop: () => cluster.stop() };
}

/**
 * A new organization named `orgName` with one project ('bench'), and the day partitions for the `days`
 * days that end at the current minute (the window a data set is generated into).
 */
export async function createBenchProject(
  system: ReturnType<typeof createPool>,
  orgName: string,
  days: number,
): Promise<{ orgId: string; projectId: string; start: Date; end: Date }> {
  const org = await system.query<{ id: string }>(
    'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
    [orgName],
  );
  const orgId = org.rows[0]?.id ?? '';
  const project = await system.query<{ id: string }>(
    "INSERT INTO projects (org_id, name) VALUES ($1, 'bench') RETURNING id",
    [orgId],
  );
  const projectId = project.rows[0]?.id ?? '';
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const start = new Date(end.getTime() - days * 86_400_000);
  await system.query('SELECT llmo_ensure_telemetry_partitions($1::date, $2::date)', [start, end]);
  return { orgId, projectId, start, end };
}

/** Events per INSERT … SELECT when a data set is generated. */
const CHUNK = 500_000;

/**
 * Fills a bench project's window with `events` events (seedEvents, in chunks of 500,000, evenly over
 * [start, end)), then builds its per-minute rollups day by day; logs progress and returns the seconds
 * each phase took.
 */
export async function seedBenchEvents(
  system: ReturnType<typeof createPool>,
  project: { orgId: string; projectId: string; start: Date; end: Date },
  options: {
    events: number;
    users?: number;
    log: (message: string, fields: Record<string, unknown>) => void;
  },
): Promise<{ events_s: number; rollups_s: number }> {
  const { orgId, projectId, start, end } = project;
  const keyId = randomUUID();
  const client = await system.connect();
  try {
    await client.query('SET synchronous_commit = off');
    const t0 = performance.now();
    const chunks = Math.ceil(options.events / CHUNK);
    const span = (end.getTime() - start.getTime()) / chunks;
    for (let i = 0; i < chunks; i += 1) {
      const count = Math.min(CHUNK, options.events - i * CHUNK);
      const t = performance.now();
      await seedEvents(client, {
        orgId,
        projectId,
        keyId,
        from: new Date(start.getTime() + i * span),
        spanMs: span,
        count,
        idPrefix: `c${i}-`,
        ...(options.users === undefined ? {} : { users: options.users }),
      });
      options.log('events chunk', {
        chunk: i + 1,
        of: chunks,
        count,
        seconds: Math.round((performance.now() - t) / 100) / 10,
      });
    }
    const t1 = performance.now();
    const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
    for (let d = 0; d < days; d += 1) {
      await rollupEvents(
        client,
        orgId,
        projectId,
        new Date(start.getTime() + d * 86_400_000),
        new Date(start.getTime() + (d + 1) * 86_400_000),
      );
      options.log('rollups day', { day: d + 1, of: days });
    }
    return { events_s: (t1 - t0) / 1000, rollups_s: (performance.now() - t1) / 1000 };
  } finally {
    client.release();
  }
}

/**
 * VACUUM ANALYZE as the tables' owner: the service roles may not vacuum (PostgreSQL skips the table
 * with only a warning), which would leave visibility maps unset and index-only scans fetching heap rows.
 */
export async function vacuumAnalyze(db: BenchDb, tables: string[]): Promise<void> {
  const owner = createPool(db.urls.owner, { max: 1, statementTimeoutMs: 3_600_000 });
  try {
    for (const table of tables) await owner.query(`VACUUM ANALYZE ${table}`);
  } finally {
    await owner.end();
  }
}
