// Local stack wiring: Firehose stand-in → S3 stand-in → notification → loader, at least once, redelivered on failure.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPool } from '../../regional/db/pool.ts';
import { makeEnvelope } from '../../regional/loader/envelope-fixtures.ts';
import { createTenant, rollupMismatches, runId } from '../../regional/loader/test-helpers.ts';
import { silentLogger } from '../../runtime/log.ts';
import { loadLocalConfig } from './config.ts';
import type { LocalContext, RunningService } from './context.ts';
import { LOCAL_AWS } from './dynamo.ts';
import { type FirehoseExports, startFirehose } from './firehose.ts';
import { startLoader } from './loader.ts';

let dir: string;
let system: pg.Pool;
let owner: pg.Pool;
const running: RunningService[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-local-loader-'));
  system = createPool(inject('systemDatabaseUrl'), { max: 3 });
  owner = createPool(inject('databaseUrl'), { max: 2 });
});

afterAll(async () => {
  for (const s of running.reverse()) await s.stop().catch(() => {});
  await system?.end();
  await owner?.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('loads what the local Firehose lands, once, even with two loaders and a connection killed mid-load', async () => {
  const base = loadLocalConfig({}, dir);
  const ctx = {
    config: { ...base, dataDir: dir, ports: { ...base.ports, s3: 0, firehose: 0 } },
    db: {
      owner: inject('databaseUrl'),
      app: inject('appDatabaseUrl'),
      system: inject('systemDatabaseUrl'),
    },
    logger: () => silentLogger,
    services: new Map<string, RunningService>(),
  } as unknown as LocalContext;
  const firehoseService = await startFirehose(ctx);
  running.push(firehoseService);
  ctx.services.set('firehose', firehoseService);

  // Loader A: its first commit attempt loses its connection (a real backend kill); the notification
  // must be redelivered. Loader B gets every notification too (at-least-once fan-out).
  let kills = 0;
  running.push(
    await startLoader(ctx, {
      beforeCommit: async ({ pid }) => {
        if (kills > 0) return;
        kills++;
        await owner.query('SELECT pg_terminate_backend($1)', [pid]);
      },
    }),
  );
  running.push(await startLoader(ctx));

  const tenant = await createTenant(system);
  const run = runId();
  const { firehoseEndpoint } = firehoseService.exports as unknown as FirehoseExports;
  const client = new FirehoseClient({ ...LOCAL_AWS, endpoint: firehoseEndpoint });
  const records = Array.from({ length: 10 }, (_, r) => ({
    Data: Buffer.from(
      Array.from(
        { length: 30 },
        (_, i) => `${JSON.stringify(makeEnvelope(tenant, r * 30 + i, { runId: run }))}\n`,
      ).join(''),
    ),
  }));
  const out = await client.send(
    new PutRecordBatchCommand({ DeliveryStreamName: ctx.config.firehoseStream, Records: records }),
  );
  expect(out.FailedPutCount).toBe(0);
  // The SDK resends a batch on a 503: the same events arrive again in a later object.
  await client.send(
    new PutRecordBatchCommand({
      DeliveryStreamName: ctx.config.firehoseStream,
      Records: records.slice(0, 3),
    }),
  );
  client.destroy();

  const count = async () =>
    (
      await system.query('SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1', [
        tenant.projectId,
      ])
    ).rows[0]?.n as number;
  expect(await waitFor(count, (n) => n >= 300)).toBe(300);
  const rolled = async () =>
    (
      await system.query(
        'SELECT coalesce(sum(events), 0)::int AS n FROM event_rollups_1m WHERE project_id = $1',
        [tenant.projectId],
      )
    ).rows[0]?.n as number;
  expect(await waitFor(rolled, (n) => n >= 300)).toBe(300);
  expect(kills).toBe(1);
  // Drain: every landed object has been notified and handled by now, and nothing was counted twice.
  await firehoseService.stop();
  running.splice(running.indexOf(firehoseService), 1);
  expect(await count()).toBe(300);
  expect(await rollupMismatches(system, tenant.projectId)).toEqual([]);
});
