// Loader against real PostgreSQL: a line the database refuses is quarantined alone, every other line loads, replay after the fix.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { makeEnvelope, ndjson, writeGzipObject } from './envelope-fixtures.ts';
import { fileObjectSource } from './file-object-source.ts';
import { type LoadDeps, loadObject } from './load-object.ts';
import { createTenant, rollupMismatches, runId } from './test-helpers.ts';

const BUCKET = 'llmo-landing';
let system: pg.Pool;
let owner: pg.Pool;
let root: string;
let deps: LoadDeps;

beforeAll(async () => {
  system = createPool(inject('systemDatabaseUrl'), { max: 4 });
  owner = createPool(inject('databaseUrl'), { max: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-quarantine-'));
  deps = { pool: system, source: fileObjectSource(root), chunkLines: 32 };
});

afterAll(async () => {
  await system?.end();
  await owner?.end();
  if (root) await rm(root, { recursive: true, force: true });
});

const count = async (projectId: string): Promise<number> =>
  (await system.query('SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1', [projectId]))
    .rows[0].n;

describe('loadObject quarantine', () => {
  it('loads every other tenant and line when the database refuses some lines, quarantines those, replays after the fix', async () => {
    const a = await createTenant(system);
    const b = await createTenant(system);
    const run = runId();
    // The database refusing a valid line's content, for real: a constraint this line breaks (the way a
    // future column rule or an unforeseen PostgreSQL limit would), added for this test's model name only.
    const refused = `refused-${run}`;
    const constraint = `llmo_test_refuse_${run.replaceAll('-', '')}`;
    await owner.query(
      `ALTER TABLE telemetry_events ADD CONSTRAINT ${constraint} CHECK (model <> '${refused}')`,
    );
    try {
      const lines: unknown[] = [];
      for (let i = 0; i < 100; i++) {
        const poison = i % 37 === 5; // lines 5, 42, 79 of org A
        const env = makeEnvelope(a, i, { runId: `a${run}` });
        if (poison) (env.event as Record<string, unknown>).model = refused;
        lines.push(env, makeEnvelope(b, i, { runId: `b${run}` }));
      }
      // Offsets RFC 3339 allows but PostgreSQL refuses: loaded as the same instant in UTC.
      const now = new Date();
      for (const [i, offset] of [
        [1000, '+16:00'],
        [1001, '-23:59'],
      ] as const) {
        const env = makeEnvelope(b, i, { runId: `b${run}` });
        const local = new Date(
          now.getTime() +
            (offset.startsWith('+') ? 1 : -1) *
              (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4))) *
              60_000,
        );
        (env.event as Record<string, unknown>).timestamp =
          `${local.toISOString().slice(0, 19)}.123456${offset}`;
        lines.push(env);
      }
      const key = `2026/12/02/10/s-1-${run}.gz`;
      await writeGzipObject(root, BUCKET, key, ndjson(lines));

      const result = await loadObject({ bucket: BUCKET, key }, deps);
      expect(result).toMatchObject({ lines: 202, good: 199, inserted: 199, quarantined: 3, rejected: 0 });
      expect(await count(a.projectId)).toBe(97);
      expect(await count(b.projectId)).toBe(102);
      const { rows: stored } = await system.query(
        "SELECT ts, event->>'timestamp' AS sent FROM telemetry_events WHERE project_id = $1 AND event_id LIKE '%-100_'",
        [b.projectId],
      );
      expect(stored).toHaveLength(2);
      for (const row of stored) expect((row.ts as Date).getTime()).toBe(Date.parse(row.sent));
      const { rows: quarantined } = await system.query(
        `SELECT org_id, project_id, line_number, reason, detail, line FROM dead_letters WHERE object_key = $1 ORDER BY line_number`,
        [key],
      );
      expect(quarantined.map((r) => [r.line_number, r.reason, r.org_id, r.project_id])).toEqual(
        [11, 85, 159].map((n) => [n, 'rejected_by_database', a.orgId, a.projectId]),
      );
      for (const r of quarantined) {
        expect(r.detail).toMatch(/^23514: .*check constraint/);
        expect(JSON.parse(r.line).event.model).toBe(refused);
      }
      expect(await rollupMismatches(system, a.projectId)).toEqual([]);
      expect(await rollupMismatches(system, b.projectId)).toEqual([]);

      // Redelivery: nothing twice, the quarantine not duplicated.
      expect(await loadObject({ bucket: BUCKET, key }, deps)).toMatchObject({ inserted: 0, quarantined: 3 });
      expect(await count(a.projectId)).toBe(97);

      // The fix, then the operator's replay: exactly the quarantined lines go in, counted once.
      await owner.query(`ALTER TABLE telemetry_events DROP CONSTRAINT ${constraint}`);
      expect(await loadObject({ bucket: BUCKET, key }, deps)).toMatchObject({ inserted: 3, quarantined: 0 });
      expect(await count(a.projectId)).toBe(100);
      expect(await rollupMismatches(system, a.projectId)).toEqual([]);
    } finally {
      await owner.query(`ALTER TABLE telemetry_events DROP CONSTRAINT IF EXISTS ${constraint}`);
    }
  });

  it('still fails the whole object on an infrastructure error (nothing quarantined)', async () => {
    const a = await createTenant(system);
    const run = runId();
    const key = `2026/12/02/10/s-2-${run}.gz`;
    await writeGzipObject(
      root,
      BUCKET,
      key,
      ndjson(Array.from({ length: 10 }, (_, i) => makeEnvelope(a, i, { runId: run }))),
    );
    // A backend killed mid-load (a failover, an operator) is not the lines' fault.
    const killing: LoadDeps = {
      ...deps,
      maxAttempts: 1,
      beforeCommit: async ({ pid }) => {
        await owner.query('SELECT pg_terminate_backend($1)', [pid]);
      },
    };
    await expect(loadObject({ bucket: BUCKET, key }, killing)).rejects.toThrow(/failed/);
    expect(await count(a.projectId)).toBe(0);
    const { rows } = await system.query('SELECT count(*)::int AS n FROM dead_letters WHERE object_key = $1', [
      key,
    ]);
    expect(rows[0].n).toBe(0);
  });
});
