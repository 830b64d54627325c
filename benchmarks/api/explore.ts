// Benchmark: the dashboard's exploration routes (event detail, trace, users, sessions, values, filtered explorer) p50/p95/p99.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newKeyTagSecret } from '../../contract/index.ts';
import { generateSigningJwk } from '../../infra/local/issuer-keys.ts';
import { mintToken } from '../../infra/local/mint-token.ts';
import { LOCAL_CLIENT_ID, startLocalIssuer } from '../../infra/local/oidc.ts';
import { createTokenVerifier } from '../../regional/api/auth/verifier.ts';
import { createRegionalApi } from '../../regional/api/router.ts';
import { createPool } from '../../regional/db/pool.ts';
import { refreshAnalyticsTiers } from '../../regional/rollups/tiers/refresh.ts';
import { envLogLevel } from '../../runtime/env.ts';
import { createLogger } from '../../runtime/log.ts';
import { createBenchProject, seedBenchEvents, startBenchDb, vacuumAnalyze } from './bench-db.ts';
import { summary } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '7' },
    users: { type: 'string', default: '2000' },
    iterations: { type: 'string', default: '40' },
    dir: { type: 'string', default: '/var/tmp/llmo-bench-explore' },
    out: { type: 'string', default: 'benchmarks/results/api-explore.json' },
    // Measure again on the data set an earlier run of the same size left in --dir (no generation).
    reuse: { type: 'boolean', default: false },
    // Only the routes whose name contains this text.
    only: { type: 'string' },
  },
});
const EVENTS = Number(args.events);
const DAYS = Number(args.days);
const DAY = 86_400_000;
const HOUR = 3_600_000;
// Progress and figures as the one log shape of every process (runtime/log.ts).
const { info: log } = createLogger({ service: 'bench-api-explore', level: envLogLevel() });

/** Generates EVENTS events over DAYS days for a new org and project, with their rollups. */
async function generate(system: ReturnType<typeof createPool>) {
  const { orgId, projectId, start, end } = await createBenchProject(
    system,
    `explore-${randomUUID().slice(0, 8)}`,
    DAYS,
  );
  const took = await seedBenchEvents(
    system,
    { orgId, projectId, start, end },
    { events: EVENTS, users: Number(args.users), log },
  );
  const generateS = took.events_s + took.rollups_s;
  log('generated', { seconds: Math.round(generateS) });
  return { orgId, projectId, end, generateS };
}

async function main(): Promise<void> {
  const db = await startBenchDb(args.dir ?? '/var/tmp/llmo-bench-explore');
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
    // A fresh org per generated data set; --reuse measures the one an earlier run left (same --events).
    const marker = path.join(args.dir ?? '/var/tmp/llmo-bench-explore', `dataset-${EVENTS}.json`);
    let orgId: string;
    let projectId: string;
    let end: Date;
    let generateS = 0;
    if (args.reuse && existsSync(marker)) {
      const kept = JSON.parse(await readFile(marker, 'utf8')) as {
        orgId: string;
        projectId: string;
        end: string;
        generate_s: number;
      };
      ({ orgId, projectId } = kept);
      end = new Date(kept.end);
      generateS = kept.generate_s;
      log('reusing data set', { marker });
    } else {
      ({ orgId, projectId, end, generateS } = await generate(system));
      await writeFile(
        marker,
        JSON.stringify({ orgId, projectId, end: end.toISOString(), generate_s: generateS }),
      );
    }
    // The tiers as the refresher keeps them in production (unfiltered totals read them); a no-op when current.
    log('tiers refreshed', { blocks: await refreshAnalyticsTiers({ pool: system, batchSize: 500 }) });
    // Settled statistics and visibility maps for what migrations or the refresh just wrote (autovacuum's
    // job in a running system), so index-only scans are measured as they run there.
    await vacuumAnalyze(db, [
      'telemetry_events',
      'event_rollups_1m',
      'analytics_rollups',
      'dimension_rollups',
      'attribute_rollups',
      'attribute_overflow',
      'actor_rollups_1h',
      'actor_rollups_1d',
      'actor_spans',
    ]);
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
    const get = async (path: string): Promise<Record<string, unknown>> => {
      const res = await api(
        new Request(`http://bench${path}`, { headers: { authorization: `Bearer ${token}` } }),
      );
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const from = new Date(end.getTime() - DAY);
    const q = `project_id=${projectId}&from=${from.toISOString()}&to=${end.toISOString()}`;
    const q7 = `project_id=${projectId}&from=${new Date(end.getTime() - 7 * DAY).toISOString()}&to=${end.toISOString()}`;
    // Six days of the seven: every user of the data set has events before `from` and straddles it, as
    // long-lived users do in production (their totals are summed from daily and hourly rows).
    const q1h = `project_id=${projectId}&from=${new Date(end.getTime() - HOUR).toISOString()}&to=${end.toISOString()}`;
    const q6 = `project_id=${projectId}&from=${new Date(end.getTime() - 6 * DAY).toISOString()}&to=${end.toISOString()}`;
    // A recent event (last chunk) gives the ids the dashboard would follow.
    const recent = (await get(`/v1/analytics/events?${q}&limit=1`)).items as Array<Record<string, string>>;
    const ev = recent[0] ?? {};
    const routes: Record<string, string> = {
      'event detail': `/v1/analytics/events/${ev.event_id}?project_id=${projectId}`,
      trace: `/v1/analytics/traces/${ev.trace_id}?project_id=${projectId}`,
      'users, 24 h by events': `/v1/analytics/users?${q}`,
      'users, 24 h by cost': `/v1/analytics/users?${q}&sort=cost_usd`,
      'users, 7 d by events': `/v1/analytics/users?${q7}`,
      'users, 6 d by events': `/v1/analytics/users?${q6}`,
      'sessions, 24 h by events': `/v1/analytics/sessions?${q}`,
      'sessions, 24 h by cost': `/v1/analytics/sessions?${q}&sort=cost_usd`,
      'sessions, 24 h by last seen': `/v1/analytics/sessions?${q}&sort=last_seen`,
      'values model': `/v1/analytics/values?${q}&dimension=model`,
      'values user_id prefix': `/v1/analytics/values?${q}&dimension=user_id&prefix=user-1`,
      'explorer user_id filter': `/v1/analytics/events?${q}&user_id=${ev.user_id}`,
      'explorer error_type filter': `/v1/analytics/events?${q}&error_type=timeout`,
      'explorer provider=OpenAI': `/v1/analytics/events?${q}&provider=OpenAI`,
      'explorer attr.route=/chat': `/v1/analytics/events?${q}&attr.route=/chat`,
      'overview model filter': `/v1/analytics/overview?${q}&model=GPT-4o`,
      'overview user_id filter': `/v1/analytics/overview?${q}&user_id=${ev.user_id}`,
      'overview attr.route=/chat': `/v1/analytics/overview?${q}&attr.route=/chat`,
      'timeseries split=model': `/v1/analytics/timeseries?${q}&interval=15m&split=model`,
      'timeseries environment filter': `/v1/analytics/timeseries?${q}&interval=15m&environment=staging`,
      // What the dashboard's overview asks with a filter: the points and the split by model in one call.
      'timeseries environment filter, split (dashboard 24 h)': `/v1/analytics/timeseries?${q}&interval=15m&environment=staging&split=model`,
      'timeseries attr.route=/chat, split, 1 h at 1 min (dashboard 1 h)': `/v1/analytics/timeseries?${q1h}&interval=1m&attr.route=/chat&split=model`,
      'breakdown by model, attr filter': `/v1/analytics/breakdown?${q}&by=model&attr.route=/chat`,
      'breakdown by error_type': `/v1/analytics/breakdown?${q}&by=error_type`,
    };
    // A route that does not answer 200 (e.g. 400 query_too_broad when a raw scan hits its timeout) is
    // recorded with its answer instead of figures, and the run goes on with the next route.
    const results: Record<string, ReturnType<typeof summary> | { failed: string }> = {};
    for (const [name, path] of Object.entries(routes)) {
      if (args.only && !name.includes(args.only)) continue;
      try {
        for (let i = 0; i < 3; i += 1) await get(path);
        const ms: number[] = [];
        for (let i = 0; i < Number(args.iterations); i += 1) {
          const t = performance.now();
          await get(path);
          ms.push(performance.now() - t);
        }
        results[name] = summary(ms);
      } catch (error) {
        results[name] = { failed: (error as Error).message.slice(0, 300) };
      }
      log(name, results[name]);
    }
    const out = {
      run_at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg() },
      events: EVENTS,
      days: DAYS,
      users: Number(args.users),
      last24h_events: Math.round(EVENTS / DAYS),
      generate_s: Math.round(generateS),
      iterations: Number(args.iterations),
      results,
    };
    await writeFile(args.out ?? 'benchmarks/results/api-explore.json', `${JSON.stringify(out, null, 2)}\n`);
    log('written', { file: args.out });
  } finally {
    await issuer.stop();
    await Promise.all([system.end(), app.end()]);
    await db.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
