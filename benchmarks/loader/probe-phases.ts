// Diagnostic (not the benchmark): PostgreSQL CPU per event of each load phase, to see where the time goes.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as v from 'valibot';
import { startEmbeddedPostgres } from '../../infra/local/postgres.ts';
import { createApiKey, createOrg, createProject } from '../../infra/testing/factories.ts';
import { freePort } from '../../infra/testing/free-port.ts';
import { migrate } from '../../regional/db/migrate.ts';
import { createPool } from '../../regional/db/pool.ts';
import { databaseUrls } from '../../regional/db/urls.ts';
import { makeEnvelope } from '../../regional/loader/envelope-fixtures.ts';
import { CREATE_STAGE_SQL, INSERT_EVENTS_SQL } from '../../regional/loader/load-sql.ts';
import { type StageCounts, stageRow } from '../../regional/loader/stage-row.ts';
import { CREATE_DELTA_SQL } from '../../regional/rollups/minute-sql.ts';
import { parseEnv, wholeNumber } from '../../runtime/env.ts';

const N = parseEnv(v.object({ N: wholeNumber(50_000, 1) })).N;

function pgCpu(postmaster: number): number {
  let total = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      if (Number(e) === postmaster || Number(f[1]) === postmaster)
        total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {}
  }
  return total;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-probe-'));
const cluster = await startEmbeddedPostgres({
  dataDir: path.join(dir, 'pg'),
  port: await freePort(),
  password: 'x',
  persistent: false,
});
try {
  const passwords = { app: randomBytes(8).toString('hex'), system: randomBytes(8).toString('hex') };
  await migrate({ ownerUrl: cluster.url, passwords });
  const system = createPool(databaseUrls(cluster.url, passwords).system, {
    max: 2,
    statementTimeoutMs: 600_000,
  });
  system.on('error', () => {});
  const org = await createOrg(system);
  const project = await createProject(system, org.id);
  const key = await createApiKey(system, org.id, project.id);
  const tenant = { orgId: org.id, projectId: project.id, keyId: key.id };
  const days = new Set(
    (
      await system.query(
        "SELECT (day - date '1970-01-01')::int AS d FROM llmo_telemetry_partition_days() day",
      )
    ).rows.map((r) => r.d as number),
  );
  const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
  const text: string[] = [];
  for (let i = 0; i < N; i += 1000) {
    let s = '';
    for (let j = i; j < i + 1000; j++)
      s += stageRow(
        { lineNumber: j + 1, text: JSON.stringify(makeEnvelope(tenant, j, { runId: 'p' })) },
        days,
        counts,
      );
    text.push(s);
  }
  const client: pg.PoolClient = await system.connect();
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
  const st = readFileSync(`/proc/${rows[0].pid}/stat`, 'utf8');
  const postmaster = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
  const step = async (label: string, fn: () => Promise<unknown>) => {
    const c0 = pgCpu(postmaster);
    const t0 = performance.now();
    await fn();
    console.log(
      label.padEnd(40),
      `${(((pgCpu(postmaster) - c0) / N) * 1e6).toFixed(2)} us/event pg cpu`,
      `${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
  };
  await client.query('BEGIN');
  await client.query(CREATE_STAGE_SQL);
  await client.query(CREATE_DELTA_SQL);
  await step('COPY into temp staging', () =>
    pipeline(Readable.from(text), client.query(copyFrom('COPY llmo_stage FROM STDIN')) as Writable),
  );
  await step('INSERT events (no RETURNING)', () =>
    client.query(`INSERT INTO telemetry_events (project_id, ts, event_id, org_id, key_id, received_at, operation, provider, model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd, request_id, event)
      SELECT project_id, ts, event_id || 'x', org_id, key_id, received_at, operation, provider, model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd, request_id, event::json FROM llmo_stage ON CONFLICT DO NOTHING`),
  );
  await step('INSERT events + RETURNING (count only)', () =>
    client.query(`WITH ins AS (INSERT INTO telemetry_events (project_id, ts, event_id, org_id, key_id, received_at, operation, provider, model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd, request_id, event)
      SELECT project_id, ts, event_id || 'y', org_id, key_id, received_at, operation, provider, model, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd, request_id, event::json FROM llmo_stage ON CONFLICT DO NOTHING
      RETURNING org_id, project_id, ts, model, provider, operation, status, environment, duration_ms, input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens, cost_usd) SELECT count(*) FROM ins`),
  );
  await step('delta aggregation over staging only', () =>
    client.query(`INSERT INTO llmo_rollup_delta SELECT org_id, project_id, date_bin('1 minute', ts, timestamptz '1970-01-01 00:00:00+00'), model, provider, operation, status, environment,
    llmo_latency_bucket(duration_ms), count(*), count(*) FILTER (WHERE status = 'error'), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
    coalesce(sum(cache_read_input_tokens), 0), coalesce(sum(cache_creation_input_tokens), 0), coalesce(sum(cost_usd), 0), count(duration_ms) FROM llmo_stage GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`),
  );
  await step('delta aggregation, no numeric sum', () =>
    client.query(`SELECT count(*) FROM (SELECT org_id, project_id, date_bin('1 minute', ts, timestamptz '1970-01-01 00:00:00+00'), model, provider, operation, status, environment,
    llmo_latency_bucket(duration_ms), count(*), sum(input_tokens) FROM llmo_stage GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) x`),
  );
  await step('INSERT events + RETURNING + deltas', () => client.query(INSERT_EVENTS_SQL));
  await step('same again (all duplicates)', () => client.query(INSERT_EVENTS_SQL));
  await step('SELECT event::json only', () => client.query('SELECT count(event::json) FROM llmo_stage'));
  await client.query('COMMIT');
  client.release();
  await system.end();
} finally {
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
