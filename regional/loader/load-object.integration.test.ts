// Loader against real PostgreSQL: idempotency (redelivery, concurrency, killed connection), poison lines, late events.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { makeEnvelope, ndjson, writeGzipObject } from './envelope-fixtures.ts';
import { fileObjectSource } from './file-object-source.ts';
import { type LoadDeps, loadObject } from './load-object.ts';
import { createTenant, projectTotals, rollupMismatches, runId } from './test-helpers.ts';

const BUCKET = 'llmo-landing';
let system: pg.Pool;
let owner: pg.Pool;
let root: string;
let deps: LoadDeps;

beforeAll(async () => {
  system = createPool(inject('systemDatabaseUrl'), { max: 6 });
  owner = createPool(inject('databaseUrl'), { max: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-loader-'));
  deps = { pool: system, source: fileObjectSource(root) };
});

afterAll(async () => {
  await system?.end();
  await owner?.end();
  if (root) await rm(root, { recursive: true, force: true });
});

async function expectConsistent(projectId: string): Promise<void> {
  expect(await rollupMismatches(system, projectId)).toEqual([]);
}

describe('loadObject', () => {
  it.each([
    ['savepoint fast path', true],
    ['RETURNING path', false],
  ])('counts an object loaded three times once (%s)', async (_name, fastPath) => {
    const tenant = await createTenant(system);
    const run = runId();
    const key = `2026/11/25/12/s-1-${run}.gz`;
    await writeGzipObject(
      root,
      BUCKET,
      key,
      ndjson(Array.from({ length: 500 }, (_, i) => makeEnvelope(tenant, i, { runId: run }))),
    );
    // Small chunks: the object spans several COPY/insert rounds inside its one transaction.
    const chunked: LoadDeps = { ...deps, chunkLines: 128, fastPath };
    const first = await loadObject({ bucket: BUCKET, key }, chunked);
    expect(first).toMatchObject({ lines: 500, good: 500, inserted: 500, duplicates: 0, rejected: 0 });
    for (let n = 0; n < 2; n++) {
      const again = await loadObject({ bucket: BUCKET, key }, n === 0 ? deps : chunked);
      expect(again).toMatchObject({ good: 500, inserted: 0, duplicates: 500, rollupRows: 0 });
    }
    const totals = await projectTotals(system, tenant.projectId);
    expect(totals.events).toBe(500);
    expect(totals.rolledEvents).toBe(500);
    expect(totals.rolledCost).toBe(totals.cost);
    await expectConsistent(tenant.projectId);
  });

  it('counts SDK resends (the same event in two objects and twice in one) once', async () => {
    const tenant = await createTenant(system);
    const run = runId();
    const events = Array.from({ length: 50 }, (_, i) => makeEnvelope(tenant, i, { runId: run }));
    await writeGzipObject(root, BUCKET, `resend/${run}-a.gz`, ndjson([...events, ...events.slice(0, 10)]));
    await writeGzipObject(root, BUCKET, `resend/${run}-b.gz`, ndjson(events.slice(20)));
    const a = await loadObject({ bucket: BUCKET, key: `resend/${run}-a.gz` }, deps);
    const b = await loadObject({ bucket: BUCKET, key: `resend/${run}-b.gz` }, deps);
    expect(a).toMatchObject({ good: 60, inserted: 50, duplicates: 10 });
    expect(b).toMatchObject({ good: 30, inserted: 0, duplicates: 30 });
    expect((await projectTotals(system, tenant.projectId)).rolledEvents).toBe(50);
    await expectConsistent(tenant.projectId);
  });

  it('counts two concurrent loads of one object once', async () => {
    const tenant = await createTenant(system);
    const run = runId();
    const key = `concurrent/${run}.gz`;
    await writeGzipObject(
      root,
      BUCKET,
      key,
      ndjson(Array.from({ length: 5000 }, (_, i) => makeEnvelope(tenant, i, { runId: run }))),
    );
    // Several chunks each, so the two transactions interleave chunk by chunk.
    const chunked: LoadDeps = { ...deps, chunkLines: 1000 };
    const results = await Promise.all([
      loadObject({ bucket: BUCKET, key }, chunked),
      loadObject({ bucket: BUCKET, key }, chunked),
    ]);
    expect(results.map((r) => r.inserted).reduce((a, b) => a + b, 0)).toBe(5000);
    const totals = await projectTotals(system, tenant.projectId);
    expect(totals).toMatchObject({ events: 5000, rolledEvents: 5000 });
    await expectConsistent(tenant.projectId);
  });

  it('counts once when the connection is killed before commit and the object is retried', async () => {
    const tenant = await createTenant(system);
    const run = runId();
    const key = `killed/${run}.gz`;
    await writeGzipObject(
      root,
      BUCKET,
      key,
      ndjson(Array.from({ length: 1000 }, (_, i) => makeEnvelope(tenant, i, { runId: run }))),
    );
    let killed = 0;
    const faulty: LoadDeps = {
      ...deps,
      beforeCommit: async ({ pid }) => {
        // A real fault: another session terminates the loader's backend between the inserts and COMMIT.
        const { rows } = await owner.query('SELECT pg_terminate_backend($1) AS ok', [pid]);
        killed += rows[0]?.ok ? 1 : 0;
      },
    };
    await expect(loadObject({ bucket: BUCKET, key }, faulty)).rejects.toThrow(/failed/);
    expect(killed).toBe(1);
    expect((await projectTotals(system, tenant.projectId)).events).toBe(0);
    const retry = await loadObject({ bucket: BUCKET, key }, deps);
    expect(retry).toMatchObject({ inserted: 1000 });
    await loadObject({ bucket: BUCKET, key }, deps);
    expect(await projectTotals(system, tenant.projectId)).toMatchObject({ events: 1000, rolledEvents: 1000 });
    await expectConsistent(tenant.projectId);
  });

  it('sends poison lines to dead_letters without blocking good lines, once per line', async () => {
    const tenant = await createTenant(system);
    const run = runId();
    const key = `poison/${run}.gz`;
    const good = (i: number) => makeEnvelope(tenant, i, { runId: run });
    const badEnvelope = { ...good(100), org_id: 'not-a-uuid' };
    const badEvent = good(101);
    (badEvent.event as Record<string, unknown>).status = 'maybe';
    const loneSurrogate = good(103);
    (loneSurrogate.event as Record<string, unknown>).attributes = { note: 'half \ud83d of an emoji' };
    const nulModel = good(102);
    (nulModel.event as Record<string, unknown>).model = 'gpt\u0000x';
    const lines = [
      good(1),
      '{"v":1,"org_id":', // truncated JSON
      good(2),
      badEnvelope,
      badEvent,
      `{"v":1,"pad":"${'x'.repeat(2048)}"}`, // longer than the 1 KiB cap set below
      '',
      nulModel,
      good(3),
      loneSurrogate,
    ];
    await writeGzipObject(root, BUCKET, key, ndjson(lines));
    const small: LoadDeps = { ...deps, maxLineBytes: 1024, chunkLines: 3 };
    const result = await loadObject({ bucket: BUCKET, key }, small);
    // The lone surrogate escape is valid JSON for PostgreSQL's json type: that line loads. So does the
    // event with U+0000 (acknowledged by the edge, so never dropped), with U+FFFD in its place.
    expect(result).toMatchObject({ good: 5, inserted: 5, rejected: 4 });
    await loadObject({ bucket: BUCKET, key }, small);
    const { rows } = await system.query(
      'SELECT line_number, reason, org_id, detail FROM dead_letters WHERE object_key = $1 ORDER BY line_number',
      [key],
    );
    expect(rows.map((r) => [r.line_number, r.reason])).toEqual([
      [2, 'invalid_json'],
      [4, 'invalid_envelope'],
      [5, 'invalid_envelope'],
      [6, 'line_too_long'],
    ]);
    expect(rows[1]?.org_id).toBeNull();
    expect(rows[2]?.org_id).toBe(tenant.orgId);
    expect(rows[2]?.detail).toContain('event.status');
    expect((await projectTotals(system, tenant.projectId)).rolledEvents).toBe(5);
    const nul = await system.query(
      `SELECT model, event->>'model' AS event_model FROM telemetry_events WHERE project_id = $1 AND event_id = $2`,
      [tenant.projectId, (nulModel.event as { event_id: string }).event_id],
    );
    expect(nul.rows).toEqual([{ model: 'gpt\ufffdx', event_model: 'gpt\ufffdx' }]);
    await expectConsistent(tenant.projectId);
  });

  it('puts late events in their own minute and dead-letters events outside the partitions', async () => {
    const tenant = await createTenant(system);
    const run = runId();
    const key = `late/${run}.gz`;
    const now = Date.now();
    const threeHoursAgo = new Date(Math.floor((now - 3 * 3600_000) / 60_000) * 60_000 + 17_000);
    const lines = [
      makeEnvelope(tenant, 1, { runId: run, ts: new Date(now) }),
      makeEnvelope(tenant, 2, { runId: run, ts: threeHoursAgo }),
      makeEnvelope(tenant, 3, { runId: run, ts: new Date(threeHoursAgo.getTime() + 1000) }),
      makeEnvelope(tenant, 4, { runId: run, ts: new Date(now - 400 * 86_400_000) }),
      makeEnvelope(tenant, 5, { runId: run, ts: new Date(now + 90 * 86_400_000) }),
    ];
    await writeGzipObject(root, BUCKET, key, ndjson(lines));
    const result = await loadObject({ bucket: BUCKET, key }, deps);
    expect(result).toMatchObject({ good: 3, inserted: 3, rejected: 2 });
    const { rows } = await system.query(
      `SELECT minute, sum(events)::int AS events FROM event_rollups_1m WHERE project_id = $1 GROUP BY minute ORDER BY minute`,
      [tenant.projectId],
    );
    expect(rows[0]).toEqual({
      minute: new Date(Math.floor(threeHoursAgo.getTime() / 60_000) * 60_000),
      events: 2,
    });
    expect(rows).toHaveLength(2);
    const { rows: dead } = await system.query(
      'SELECT line_number, reason FROM dead_letters WHERE object_key = $1 ORDER BY line_number',
      [key],
    );
    expect(dead).toEqual([
      { line_number: 4, reason: 'out_of_range' },
      { line_number: 5, reason: 'out_of_range' },
    ]);
    await expectConsistent(tenant.projectId);
  });

  it('fails the whole object (for SQS to retry) when it cannot be read', async () => {
    await expect(loadObject({ bucket: BUCKET, key: 'missing/nothing.gz' }, deps)).rejects.toThrow(
      /cannot read/,
    );
  });
});
