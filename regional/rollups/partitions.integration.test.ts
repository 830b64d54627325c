// Partition maintenance against real PostgreSQL: days ahead exist, retention drops old days, outside = dead letter.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { makeEnvelope, ndjson, writeGzipObject } from '../loader/envelope-fixtures.ts';
import { fileObjectSource } from '../loader/file-object-source.ts';
import { loadObject } from '../loader/load-object.ts';
import { createTenant, rollupMismatches, runId } from '../loader/test-helpers.ts';
import { dropExpiredPartitions, ensurePartitions, partitionDays } from './partitions.ts';
import { refreshAnalyticsTiers } from './tiers/refresh.ts';

let system: pg.Pool;
let root: string;

beforeAll(async () => {
  system = createPool(inject('systemDatabaseUrl'), { max: 3 });
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-partitions-'));
});

afterAll(async () => {
  await system?.end();
  if (root) await rm(root, { recursive: true, force: true });
});

const day = (s: string) => new Date(`${s}T12:00:00Z`);

describe('telemetry partitions', () => {
  it('has a partition for every day from today to aheadDays ahead, and creating is idempotent', async () => {
    const now = new Date();
    await ensurePartitions(system, { aheadDays: 20, retentionDays: 2 }, now);
    expect(await ensurePartitions(system, { aheadDays: 20, retentionDays: 2 }, now)).toBe(0);
    const days = new Set(await partitionDays(system));
    for (let d = -2; d <= 20; d++) {
      expect(days.has(new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10))).toBe(true);
    }
  });

  // Uses days in March 2020, which no other test touches (the test database is shared by the run).
  it('drops partitions past retention with their rollups; events for dropped days become dead letters', async () => {
    const policy = { aheadDays: 2, retentionDays: 3 };
    await ensurePartitions(system, policy, day('2020-03-10'));
    expect(await partitionDays(system)).toEqual(expect.arrayContaining(['2020-03-07', '2020-03-12']));

    const tenant = await createTenant(system);
    const run = runId();
    const source = fileObjectSource(root);
    const key = `old/${run}.gz`;
    await writeGzipObject(
      root,
      'b',
      key,
      ndjson(
        [
          makeEnvelope(tenant, 1, { runId: run, ts: day('2020-03-07') }),
          makeEnvelope(tenant, 2, { runId: run, ts: day('2020-03-10') }),
        ].map((e) => {
          // One user across the cutoff, one session before it.
          Object.assign(
            e.event,
            { user_id: 'u-across' },
            e.event.timestamp < '2020-03-08' ? { session_id: 's-old' } : {},
          );
          return e;
        }),
      ),
    );
    expect(await loadObject({ bucket: 'b', key }, { pool: system, source })).toMatchObject({ inserted: 2 });
    // The attribute tier of both days (built by the refresher from the events), and one overflow row.
    await refreshAnalyticsTiers({ pool: system });
    await system.query(
      `INSERT INTO attribute_overflow (org_id, project_id, grain, start, key)
       VALUES ($1, $2, '1h', $3, 'big'), ($1, $2, '1h', $4, 'big')`,
      [tenant.orgId, tenant.projectId, day('2020-03-07'), day('2020-03-10')],
    );
    const attributeRows = () =>
      system
        .query<{ start: Date; n: number }>(
          `SELECT start, count(*)::int AS n FROM (
             SELECT start FROM attribute_rollups WHERE project_id = $1 AND grain = '1h' AND key = 'route'
             UNION ALL SELECT start FROM attribute_overflow WHERE project_id = $1) a GROUP BY start ORDER BY start`,
          [tenant.projectId],
        )
        .then((r) => r.rows);
    expect(await attributeRows()).toEqual([
      { start: day('2020-03-07'), n: 2 },
      { start: day('2020-03-10'), n: 2 },
    ]);

    const result = await dropExpiredPartitions(system, policy, day('2020-03-12'));
    expect(result.dropped).toEqual(['telemetry_events_p20200307', 'telemetry_events_p20200308']);
    expect(result.rollupRowsDeleted).toBe(1);
    const { rows } = await system.query(
      `SELECT (SELECT count(*) FROM telemetry_events WHERE project_id = $1)::int AS events,
              (SELECT coalesce(sum(events), 0) FROM event_rollups_1m WHERE project_id = $1)::int AS rolled`,
      [tenant.projectId],
    );
    expect(rows[0]).toEqual({ events: 1, rolled: 1 });
    // The users / sessions lists' sources keep only what is left: the user's day and hour on the 10th,
    // its span recomputed from it, the session (all before the cutoff) gone.
    expect(result.actorRowsDeleted).toBe(4);
    // route, retry and n of the 7th in all three grains, per combination and per model, and its
    // overflow row; the 10th keeps its rows.
    expect(result.attributeRowsDeleted).toBe(19);
    expect(await attributeRows()).toEqual([{ start: day('2020-03-10'), n: 2 }]);
    const actors = await system.query(
      `SELECT 'day' AS t, kind, actor, events::int, first_seen FROM actor_rollups_1d WHERE project_id = $1
       UNION ALL
       SELECT 'hour', kind, actor, events::int, first_seen FROM actor_rollups_1h WHERE project_id = $1
       UNION ALL
       SELECT 'span', kind, actor, events::int, first_seen FROM actor_spans WHERE project_id = $1 ORDER BY 1`,
      [tenant.projectId],
    );
    expect(actors.rows).toEqual([
      { t: 'day', kind: 'user', actor: 'u-across', events: 1, first_seen: day('2020-03-10') },
      { t: 'hour', kind: 'user', actor: 'u-across', events: 1, first_seen: day('2020-03-10') },
      { t: 'span', kind: 'user', actor: 'u-across', events: 1, first_seen: day('2020-03-10') },
    ]);
    expect(await rollupMismatches(system, tenant.projectId)).toEqual([]);

    const replayKey = `old/${run}-replay.gz`;
    await writeGzipObject(
      root,
      'b',
      replayKey,
      ndjson([makeEnvelope(tenant, 3, { runId: run, ts: day('2020-03-07') })]),
    );
    expect(await loadObject({ bucket: 'b', key: replayKey }, { pool: system, source })).toMatchObject({
      inserted: 0,
      rejected: 1,
    });
    const { rows: dead } = await system.query('SELECT reason FROM dead_letters WHERE object_key = $1', [
      replayKey,
    ]);
    expect(dead).toEqual([{ reason: 'out_of_range' }]);

    // Leave no 2020 partitions behind.
    const cleanup = await dropExpiredPartitions(system, { retentionDays: 0 }, day('2020-03-13'));
    expect(cleanup.dropped).toHaveLength(4);
  });
});
