// Migration 0017 on refreshed history: only 15-minute blocks are marked dirty (5-minute and hourly rows keep answering), the refresher builds them, the trigger marks all three grains.
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg, createProject } from '../../../infra/testing/factories.ts';
import { seedProject } from '../../api/testing/seed-telemetry.ts';
import { migrate } from '../../db/migrate.ts';
import { createPool } from '../../db/pool.ts';
import { planRange } from './read.ts';
import { refreshAnalyticsTiers } from './refresh.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MIGRATION = '0017_quarter_hour_tiers';
// A database of its own: this test migrates down and up again, which the shared one must not see.
const name = `llmo_quarter_hour_${process.pid}`;
const on = (url: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
let admin: pg.Pool;
let owner: pg.Pool;
let system: pg.Pool;

beforeAll(async () => {
  admin = createPool(inject('databaseUrl'));
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await migrate({ ownerUrl: on(inject('databaseUrl')) });
  owner = createPool(on(inject('databaseUrl')));
  system = createPool(on(inject('systemDatabaseUrl')));
});
afterAll(async () => {
  await Promise.all([owner?.end(), system?.end()]);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Migration 0017 and every later one, in the order they apply. */
async function laterMigrations(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.replace(/\.sql$/, ''))
    .filter((m) => m >= MIGRATION)
    .sort();
}

/**
 * Undoes migration 0017 and every later one (newest first): 0017's down migration drops the 15-minute
 * rows and the new trigger. `migrate` applies them all again.
 */
async function down(): Promise<void> {
  const later = (await laterMigrations()).reverse();
  const client = new pg.Client({ connectionString: on(inject('databaseUrl')) });
  await client.connect();
  try {
    const undone = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'down',
      count: later.length,
      migrationsTable: 'pgmigrations',
      singleTransaction: true,
      log: () => {},
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    expect(undone.map((m) => m.name)).toEqual(later);
    expect(later.at(-1)).toBe(MIGRATION);
  } finally {
    await client.end();
  }
}

/** The markers of a project, oldest first, as `<grain> <HH:MM>`. */
async function markers(projectId: string): Promise<string[]> {
  const { rows } = await owner.query<{ grain: string; start: Date }>(
    'SELECT grain, start FROM analytics_dirty WHERE project_id = $1 ORDER BY id',
    [projectId],
  );
  return rows.map((r) => `${r.grain} ${r.start.toISOString().slice(11, 16)}`);
}

describe('migration 0017 (15-minute tier blocks)', () => {
  it('marks only the 15-minute blocks of existing history, newest first; the refresher builds them exactly', async () => {
    const org = await createOrg(system);
    const project = await createProject(system, org.id);
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const start = new Date(end.getTime() - 2 * HOUR);
    const range = { from: start, to: end };
    await seedProject(
      system,
      {
        orgId: org.id,
        projectId: project.id,
        keyId: randomUUID(),
        from: start,
        spanMs: 2 * HOUR,
        count: 1200,
      },
      end,
    );
    await refreshAnalyticsTiers({ pool: system });
    const plan = async (stepMs: number | null) => {
      const client = await owner.connect();
      try {
        return await planRange(client, org.id, [project.id], range, stepMs);
      } finally {
        client.release();
      }
    };
    const quarters = Array.from({ length: 8 }, (_, i) => new Date(start.getTime() + i * 15 * MIN));
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);

    // The schema before 0017: no 15-minute rows, and a change marks 5-minute and hourly blocks only.
    await down();
    for (const table of ['analytics_rollups', 'dimension_rollups', 'attribute_rollups', 'analytics_dirty']) {
      const { rows } = await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE grain = '15m'`,
      );
      expect(rows[0]?.n, table).toBe(0);
    }
    const minute = new Date(start.getTime() + 22 * MIN);
    const touch = () =>
      system.query('UPDATE event_rollups_1m SET events = events + 0 WHERE project_id = $1 AND minute = $2', [
        project.id,
        minute,
      ]);
    await touch();
    expect((await markers(project.id)).sort()).toEqual(
      [`1h ${hhmm(start)}`, `5m ${hhmm(new Date(start.getTime() + 20 * MIN))}`].sort(),
    );
    await refreshAnalyticsTiers({ pool: system });
    // Code deployed before the migration runs plans no 15-minute block (there is none to read).
    const early = await plan(15 * MIN);
    expect([early.fives.length, early.quarters.length, early.minutes.length]).toEqual([24, 0, 0]);

    // Up again: every 15-minute block with minutes is marked, newest first, and nothing else.
    expect(await migrate({ ownerUrl: on(inject('databaseUrl')) })).toEqual(await laterMigrations());
    expect(await markers(project.id)).toEqual(quarters.map((q) => `15m ${hhmm(q)}`).reverse());
    // Meanwhile 15-minute buckets read the 5-minute rows as before, and the whole range its hours.
    const meanwhile = await plan(15 * MIN);
    expect([meanwhile.fives.length, meanwhile.quarters.length, meanwhile.minutes.length]).toEqual([24, 0, 0]);
    expect((await plan(null)).hours).toHaveLength(2);

    // The refresher builds exactly those blocks; their rows equal the minutes' sums.
    expect(await refreshAnalyticsTiers({ pool: system })).toBe(8);
    expect(await markers(project.id)).toEqual([]);
    const sums = await owner.query<{
      start: Date;
      tier: string;
      minutes: string;
      dims: string;
      dim_minutes: string;
    }>(
      `SELECT q.start, a.events::text AS tier, m.events::text AS minutes, d.n::text AS dims, m.n::text AS dim_minutes
         FROM unnest($2::timestamptz[]) AS q(start)
         LEFT JOIN analytics_rollups a ON a.project_id = $1 AND a.grain = '15m' AND a.start = q.start
         LEFT JOIN LATERAL (SELECT sum(events) AS events,
                                   count(DISTINCT (model, provider, operation, status, environment)) AS n
                              FROM event_rollups_1m WHERE project_id = $1 AND minute >= q.start
                               AND minute < q.start + interval '15 minutes') m ON true
         LEFT JOIN LATERAL (SELECT count(*) AS n FROM dimension_rollups
                             WHERE project_id = $1 AND grain = '15m' AND start = q.start) d ON true
        ORDER BY 1`,
      [project.id, quarters],
    );
    expect(sums.rows).toHaveLength(8);
    for (const r of sums.rows) {
      expect(r.tier, hhmm(r.start)).toBe(r.minutes);
      expect(r.dims, hhmm(r.start)).toBe(r.dim_minutes);
    }
    const after = await plan(15 * MIN);
    expect([after.fives.length, after.quarters.length, after.minutes.length]).toEqual([0, 8, 0]);

    // The new trigger marks all three grains of a change, the 5-minute block first.
    await touch();
    expect(await markers(project.id)).toEqual([
      `5m ${hhmm(new Date(start.getTime() + 20 * MIN))}`,
      `15m ${hhmm(new Date(start.getTime() + 15 * MIN))}`,
      `1h ${hhmm(start)}`,
    ]);
  });
});
