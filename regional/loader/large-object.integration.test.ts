import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { writeLandingObjectStream } from './envelope-fixtures.ts';
import { fileObjectSource } from './file-object-source.ts';
import { loadObject } from './load-object.ts';
import type { ObjectSource } from './object-source.ts';
import { createTenant, projectTotals, rollupMismatches, runId } from './test-helpers.ts';

const EVENTS = 200_000;

/** A real `gc()` (the flag set at runtime, the function taken from a fresh context). */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Live memory: heap after a full collection plus Buffer memory. */
function liveBytes(gc: () => void): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
let system: pg.Pool;
let root: string;

beforeAll(async () => {
  system = createPool(inject('systemDatabaseUrl'), { max: 2, statementTimeoutMs: 300_000 });
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-large-'));
});

afterAll(async () => {
  await system?.end();
  if (root) await rm(root, { recursive: true, force: true });
});

it('loads a 200k-event object with bounded memory', async () => {
  const tenant = await createTenant(system);
  const run = runId();
  const key = `large/${run}.gz`;
  const rawBytes = await writeLandingObjectStream(path.join(root, 'b', key), tenant, run, EVENTS, 1);
  expect(rawBytes).toBeGreaterThan(120 * 1024 * 1024);
  expect((await stat(path.join(root, 'b', key))).size).toBeGreaterThan(0);

  // Sample live memory (after a full GC, so garbage not yet collected does not count) every ~2 MiB of
  // compressed input read by the loader, i.e. many times during the load.
  const gc = exposeGc();
  const baseline = liveBytes(gc);
  let peak = baseline;
  let samples = 0;
  const files = fileObjectSource(root);
  const sampled: ObjectSource = {
    async open(ref) {
      let sinceSample = 0;
      const probe = new Transform({
        transform(chunk: Buffer, _enc, done) {
          sinceSample += chunk.length;
          if (sinceSample >= 2 * 2 ** 20) {
            sinceSample = 0;
            samples++;
            peak = Math.max(peak, liveBytes(gc));
          }
          done(null, chunk);
        },
      });
      return (await files.open(ref)).pipe(probe);
    },
  };
  const result = await loadObject({ bucket: 'b', key }, { pool: system, source: sampled });
  expect(result).toMatchObject({ lines: EVENTS, good: EVENTS, inserted: EVENTS, rejected: 0 });
  expect(samples).toBeGreaterThan(3);
  const growth = peak - baseline;
  // Buffering the decompressed object (or its rows) would need well over rawBytes; streaming stays at a
  // few COPY slices and gzip/socket buffers plus garbage not yet collected.
  expect(growth).toBeLessThan(Math.min(64 * 2 ** 20, rawBytes / 2));
  console.log(
    `large object: ${(rawBytes / 2 ** 20).toFixed(0)} MiB decompressed, peak live heap+buffers growth ${(growth / 2 ** 20).toFixed(1)} MiB`,
  );

  expect(await projectTotals(system, tenant.projectId)).toMatchObject({
    events: EVENTS,
    rolledEvents: EVENTS,
  });
  expect(await rollupMismatches(system, tenant.projectId)).toEqual([]);
  // 120 MiB through gzip, COPY and the rollups: close to the tier's 60 s default on an unloaded CI run,
  // past it when the machine is shared.
}, 240_000);
