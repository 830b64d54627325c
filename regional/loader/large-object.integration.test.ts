// A 200k-event landing object loads completely with memory bounded far below the object's size.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { makeEnvelope, type Tenant } from './envelope-fixtures.ts';
import { fileObjectSource } from './file-object-source.ts';
import { loadObject } from './load-object.ts';
import { createTenant, projectTotals, rollupMismatches, runId } from './test-helpers.ts';

const EVENTS = 200_000;
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

/** Writes the object as a stream too, so the test itself never holds it in memory. */
async function writeLargeObject(file: string, tenant: Tenant, run: string): Promise<number> {
  let bytes = 0;
  const start = Date.now() - 30 * 60_000;
  function* lines() {
    let batch = '';
    for (let i = 0; i < EVENTS; i++) {
      // Spread over 30 minutes so the rollups have many rows.
      batch += `${JSON.stringify(makeEnvelope(tenant, i, { runId: run, ts: new Date(start + (i % 1800) * 1000) }))}\n`;
      if (batch.length > 256 * 1024) {
        bytes += Buffer.byteLength(batch);
        yield batch;
        batch = '';
      }
    }
    bytes += Buffer.byteLength(batch);
    yield batch;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await pipeline(Readable.from(lines()), createGzip({ level: 1 }), createWriteStream(file));
  return bytes;
}

it('loads a 200k-event object with bounded memory', async () => {
  const tenant = await createTenant(system);
  const run = runId();
  const key = `large/${run}.gz`;
  const rawBytes = await writeLargeObject(path.join(root, 'b', key), tenant, run);
  expect(rawBytes).toBeGreaterThan(120 * 1024 * 1024);
  expect((await stat(path.join(root, 'b', key))).size).toBeGreaterThan(0);

  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const baseline = used();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, used());
  }, 5);
  try {
    const result = await loadObject({ bucket: 'b', key }, { pool: system, source: fileObjectSource(root) });
    expect(result).toMatchObject({ lines: EVENTS, good: EVENTS, inserted: EVENTS, rejected: 0 });
  } finally {
    clearInterval(sampler);
  }
  const growth = peak - baseline;
  // Buffering the decompressed object (or its rows) would need well over rawBytes; streaming stays at a
  // few COPY slices and gzip/socket buffers plus garbage not yet collected.
  expect(growth).toBeLessThan(Math.min(64 * 2 ** 20, rawBytes / 2));
  console.log(
    `large object: ${(rawBytes / 2 ** 20).toFixed(0)} MiB decompressed, peak heap+buffers growth ${(growth / 2 ** 20).toFixed(1)} MiB`,
  );

  expect(await projectTotals(system, tenant.projectId)).toMatchObject({
    events: EVENTS,
    rolledEvents: EVENTS,
  });
  expect(await rollupMismatches(system, tenant.projectId)).toEqual([]);
});
