// Benchmark: overview + timeseries over the last 24 h from rollups (through the real router) vs from raw events.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { newKeyTagSecret } from '../../contract/index.ts';
import { generateSigningJwk } from '../../infra/local/issuer-keys.ts';
import { mintToken } from '../../infra/local/mint-token.ts';
import { LOCAL_CLIENT_ID, startLocalIssuer } from '../../infra/local/oidc.ts';
import { createTokenVerifier } from '../../regional/api/auth/verifier.ts';
import { createRegionalApi } from '../../regional/api/router.ts';
import { createPool } from '../../regional/db/pool.ts';
import { withOrg } from '../../regional/db/tenant.ts';
import { refreshAnalyticsTiers } from '../../regional/rollups/tiers/refresh.ts';
import { envLogLevel } from '../../runtime/env.ts';
import { createLogger } from '../../runtime/log.ts';
import { createBenchProject, seedBenchEvents, startBenchDb, vacuumAnalyze } from './bench-db.ts';
import { summary } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '7' },
    iterations: { type: 'string', default: '40' },
    'raw-iterations': { type: 'string', default: '5' },
    dir: { type: 'string', default: '/var/tmp/llmo-bench-api' },
  },
});
const EVENTS = Number(args.events);
const DAYS = Number(args.days);
const DAY = 86_400_000;

// Progress and figures as the one log shape of every process (runtime/log.ts).
const { info: log } = createLogger({ service: 'bench-api-analytics', level: envLogLevel() });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

/** Finds the data set of a previous run with the same size, or generates it (minute-aligned end). */
async function dataset(
  system: pg.Pool,
): Promise<{ orgId: string; projectId: string; end: Date; generated: Record<string, number> }> {
  const name = `bench-${EVENTS}-${DAYS}d`;
  const found = await system.query<{ org_id: string; project_id: string; end_at: Date }>(
    `SELECT o.id AS org_id, p.id AS project_id, (SELECT max(minute) + interval '1 minute' FROM event_rollups_1m r WHERE r.project_id = p.id) AS end_at
       FROM organizations o JOIN projects p ON p.org_id = o.id WHERE o.name = $1`,
    [name],
  );
  const row = found.rows[0];
  if (row?.end_at) {
    log('reusing data set', { name });
    const file = path.join(args.dir ?? '', 'generated.json');
    const generated = existsSync(file)
      ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, number>)
      : {};
    return { orgId: row.org_id, projectId: row.project_id, end: row.end_at, generated };
  }
  const project = await createBenchProject(system, name, DAYS);
  const generated: Record<string, number> = await seedBenchEvents(system, project, { events: EVENTS, log });
  await writeFile(path.join(args.dir ?? '', 'generated.json'), JSON.stringify(generated));
  const { orgId, projectId, end } = project;
  return { orgId, projectId, end, generated };
}

async function main(): Promise<void> {
  const db = await startBenchDb(args.dir ?? '/var/tmp/llmo-bench-api');
  const system = createPool(db.urls.system, { max: 2, statementTimeoutMs: 3_600_000 });
  const app = createPool(db.urls.app, { max: 4, statementTimeoutMs: 600_000 });
  const key = await generateSigningJwk();
  const issuer = await startLocalIssuer({
    port: 0,
    key,
    users: async () => [],
    redirectUris: ['http://localhost/cb'],
    cookieSecret: randomUUID(),
  });
  try {
    const { orgId, projectId, end, generated } = await dataset(system);
    // Build the 5-minute, 15-minute and hourly tiers as the running refresher would (a no-op when already current).
    const [blocks, refreshMs] = await timed(() => refreshAnalyticsTiers({ pool: system, batchSize: 500 }));
    if (blocks > 0) {
      generated.tier_refresh_s = refreshMs / 1000;
      await writeFile(path.join(args.dir ?? '', 'generated.json'), JSON.stringify(generated));
    }
    log('tiers refreshed', { blocks, seconds: Math.round(refreshMs / 100) / 10 });
    // As the owner: the service roles' VACUUM is skipped with only a warning (bench-db.ts).
    await vacuumAnalyze(db, [
      'telemetry_events',
      'event_rollups_1m',
      'analytics_rollups',
      'dimension_rollups',
    ]);
    const sizes = await system.query<{
      events: number;
      rollup_rows: number;
      events_size: string;
      rollups_size: string;
    }>(
      `SELECT (SELECT count(*) FROM telemetry_events WHERE project_id = $1)::bigint AS events,
              (SELECT count(*) FROM event_rollups_1m WHERE project_id = $1)::bigint AS rollup_rows,
              pg_size_pretty((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                               WHERE i.inhparent = 'telemetry_events'::regclass)) AS events_size,
              pg_size_pretty(pg_total_relation_size('event_rollups_1m')) AS rollups_size`,
      [projectId],
    );
    const from = new Date(end.getTime() - DAY);
    const inRange = await system.query<{ n: number; r: number }>(
      `SELECT (SELECT count(*) FROM telemetry_events WHERE project_id = $1 AND ts >= $2 AND ts < $3)::bigint AS n,
              (SELECT count(*) FROM event_rollups_1m WHERE project_id = $1 AND minute >= $2 AND minute < $3)::bigint AS r`,
      [projectId, from, end],
    );
    log('data set', {
      ...sizes.rows[0],
      last24h_events: inRange.rows[0]?.n,
      last24h_rollup_rows: inRange.rows[0]?.r,
    });

    const api = createRegionalApi({
      verifier: createTokenVerifier({
        kind: 'oidc',
        issuer: issuer.issuer,
        audience: LOCAL_CLIENT_ID,
        jwksUri: issuer.jwksUri,
        tokenUse: 'id',
      }),
      db: app,
      clock: () => end,
      keyTagSecret: { version: 'B', secret: newKeyTagSecret() },
    });
    const token = await mintToken(
      { sub: 'bench', email: 'bench@example.test', orgId, role: 'member' },
      { issuer: issuer.issuer, audience: LOCAL_CLIENT_ID, key },
    );
    const q = `project_id=${projectId}&from=${from.toISOString()}&to=${end.toISOString()}`;
    const get = async (path: string): Promise<Record<string, unknown>> => {
      const res = await api(
        new Request(`http://bench${path}`, { headers: { authorization: `Bearer ${token}` } }),
      );
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };

    // Rollup path, through the router (token verification, validation, two queries, JSON).
    const iterations = Number(args.iterations);
    const api_ms: Record<string, number[]> = { overview: [], timeseries: [] };
    let overview: Record<string, unknown> = {};
    let series: Record<string, unknown> = {};
    for (let i = 0; i < 3; i += 1) {
      await get(`/v1/analytics/overview?${q}`);
      await get(`/v1/analytics/timeseries?${q}`);
    }
    for (let i = 0; i < iterations; i += 1) {
      const [o, ms1] = await timed(() => get(`/v1/analytics/overview?${q}`));
      api_ms.overview?.push(ms1);
      overview = o;
      const [s, ms2] = await timed(() => get(`/v1/analytics/timeseries?${q}`));
      api_ms.timeseries?.push(ms2);
      series = s;
    }
    log('rollups', {
      overview: summary(api_ms.overview ?? []),
      timeseries: summary(api_ms.timeseries ?? []),
      interval: series.interval,
    });

    // Raw path: the same numbers straight from telemetry_events, same role, same RLS, same range.
    const step = `${series.interval === '5m' ? 5 : series.interval === '15m' ? 15 : 60} minutes`;
    const raw_ms: Record<string, number[]> = { overview: [], timeseries: [] };
    let rawOverview: Record<string, unknown> = {};
    const rawIterations = Number(args['raw-iterations']);
    for (let i = 0; i < rawIterations + 1; i += 1) {
      const [o, ms1] = await timed(() =>
        withOrg(
          app,
          orgId,
          async (c) =>
            (
              await c.query(
                `SELECT count(*)::bigint AS events, count(*) FILTER (WHERE status = 'error')::bigint AS errors,
                      coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
                      coalesce(sum(cost_usd), 0) AS cost_usd,
                      percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms) AS pct
                 FROM telemetry_events WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND ts >= $3 AND ts < $4`,
                [orgId, [projectId], from, end],
              )
            ).rows[0],
        ),
      );
      const [, ms2] = await timed(() =>
        withOrg(app, orgId, (c) =>
          c.query(
            `SELECT date_bin($5::interval, ts, 'epoch') AS t, count(*)::bigint AS events,
                    count(*) FILTER (WHERE status = 'error')::bigint AS errors,
                    coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
                    coalesce(sum(cost_usd), 0) AS cost_usd,
                    percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms) AS pct
               FROM telemetry_events WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND ts >= $3 AND ts < $4
              GROUP BY 1 ORDER BY 1`,
            [orgId, [projectId], from, end, step],
          ),
        ),
      );
      if (i === 0) continue; // first pass warms the page cache for the raw path too
      rawOverview = o ?? {};
      raw_ms.overview?.push(ms1);
      raw_ms.timeseries?.push(ms2);
      log('raw pass', { i, overview_ms: Math.round(ms1), timeseries_ms: Math.round(ms2) });
    }

    // Same numbers? Counters must be equal; percentiles within the histogram's 1% (rank rules differ slightly).
    const pct = (rawOverview.pct as number[]) ?? [];
    const lat = overview.latency_ms as { p50: number; p95: number; p99: number };
    const checks = {
      events_equal: Number(rawOverview.events) === overview.events,
      errors_equal: Number(rawOverview.errors) === overview.errors,
      tokens_equal:
        Number(rawOverview.input_tokens) === overview.input_tokens &&
        Number(rawOverview.output_tokens) === overview.output_tokens,
      p50_rel_diff: Math.abs(lat.p50 - (pct[0] ?? 0)) / (pct[0] ?? 1),
      p95_rel_diff: Math.abs(lat.p95 - (pct[1] ?? 0)) / (pct[1] ?? 1),
      p99_rel_diff: Math.abs(lat.p99 - (pct[2] ?? 0)) / (pct[2] ?? 1),
    };
    log('checks', checks);
    const ro = summary(api_ms.overview ?? []);
    const rt = summary(api_ms.timeseries ?? []);
    const wo = summary(raw_ms.overview ?? []);
    const wt = summary(raw_ms.timeseries ?? []);
    const result = {
      when: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load avg ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join('/')}`,
      data: {
        ...sizes.rows[0],
        last24h_events: inRange.rows[0]?.n,
        last24h_rollup_rows: inRange.rows[0]?.r,
        generated,
      },
      interval: series.interval,
      points: (series.points as unknown[]).length,
      rollups: { overview: ro, timeseries: rt },
      raw: { overview: wo, timeseries: wt },
      speedup_p50: { overview: wo.p50 / ro.p50, timeseries: wt.p50 / rt.p50 },
      speedup_p95: { overview: wo.p95 / ro.p95, timeseries: wt.p95 / rt.p95 },
      checks,
    };
    log('result', result);
    await mkdir('benchmarks/results', { recursive: true });
    await writeFile('benchmarks/results/api-analytics.json', `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await issuer.stop();
    await Promise.all([app.end(), system.end()]);
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
