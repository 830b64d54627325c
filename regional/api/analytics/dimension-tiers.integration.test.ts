// Filtered aggregates over the dimensional tiers (1h, 15m, 5m) equal the per-minute answers: clean, dirty and ragged ranges, and proof the tiers are read.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../db/tenant.ts';
import { refreshAnalyticsTiers } from '../../rollups/tiers/refresh.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import {
  asOf,
  bucketOf,
  pick,
  type Range,
  type Ref,
  referenceGroups,
  tierTestRanges,
} from '../testing/reference.ts';
import { markDirty, seedProject } from '../testing/seed-telemetry.ts';
import { sourceFor } from './source.ts';

let h: Harness;
let orgId: string;
let projectId: string;
let token: string;
const { MIN, HOUR, end, start, aligned, ragged, middleHour, lastHour } = tierTestRanges();

beforeAll(async () => {
  h = await startHarness();
  ({ orgId, projectId } = await h.org());
  await seedProject(
    h.system,
    { orgId, projectId, keyId: randomUUID(), from: start, spanMs: 3 * HOUR, count: 3600 },
    end,
  );
  token = await h.token(orgId, 'member');
});
afterAll(() => h.close());

/**
 * The reference: the same aggregate computed straight from event_rollups_1m (no tiers), grouped by
 * `group` (SQL over the minute rows), histograms merged bucket by bucket.
 */
async function fromMinutes(range: Range, where: string, group = "''"): Promise<Map<string, Ref>> {
  const rowsOf = `FROM event_rollups_1m WHERE project_id = $1 AND minute >= $2 AND minute < $3 AND ${where}`;
  const params = [projectId, range.from, range.to];
  const { rows } = await h.owner.query<Record<string, string> & { g: string; updated_at: Date | null }>(
    `SELECT ${group} AS g, sum(events) AS events, sum(errors) AS errors, sum(input_tokens) AS input_tokens,
            sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd, max(updated_at) AS updated_at
       ${rowsOf} GROUP BY 1`,
    params,
  );
  const buckets = await h.owner.query<{ g: string; b: string; n: string }>(
    `SELECT ${group} AS g, h.key AS b, sum(h.value::bigint) AS n
       ${rowsOf.replace('FROM event_rollups_1m', 'FROM event_rollups_1m, jsonb_each_text(latency_hist) AS h')}
      GROUP BY 1, 2`,
    params,
  );
  return referenceGroups(rows, buckets.rows);
}

async function get(path: string, range: Range) {
  const res = await h.call(
    'GET',
    `${path}&project_id=${projectId}&from=${range.from.toISOString()}&to=${range.to.toISOString()}`,
    { token },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Record<string, unknown>;
}

/** Every filtered route of the dashboard, each compared with its reference from the minutes. */
async function expectSameAsMinutes(range: Range): Promise<void> {
  // Overview with rollup filters (any case).
  for (const [query, where] of [
    ['model=GPT-4o', "model = 'gpt-4o'"],
    ['environment=staging&status=ok', "environment = 'staging' AND status = 'ok'"],
    ['provider=Anthropic&operation=chat', "provider = 'anthropic' AND operation = 'chat'"],
  ] as const) {
    const body = await get(`/v1/analytics/overview?${query}`, range);
    const ref = (await fromMinutes(range, where)).get('');
    expect(pick(body), query).toEqual(pick(ref));
    expect(body.latency_ms, query).toEqual(ref?.latency);
    expect(body.data_as_of, query).toBe(asOf(ref ? [ref] : []));
  }
  // Timeseries with a filter at steps that fit no block, 5-minute blocks, and hours.
  for (const [interval, minutes, query, where] of [
    ['1m', 1, 'operation=chat', "operation = 'chat'"],
    ['5m', 5, 'model=gpt-4o-mini', "model = 'gpt-4o-mini'"],
    ['15m', 15, 'environment=production', "environment = 'production'"],
    ['1h', 60, 'provider=openai', "provider = 'openai'"],
  ] as const) {
    const body = await get(`/v1/analytics/timeseries?interval=${interval}&${query}`, range);
    const ref = await fromMinutes(range, where, bucketOf(minutes, 'minute'));
    const points = body.points as Array<Record<string, unknown> & { t: string }>;
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      const r = ref.get(p.t);
      expect(pick(p), `${interval} ${p.t}`).toEqual(pick(r));
      if (r) expect({ p50: p.p50, p95: p.p95, p99: p.p99 }, `${interval} ${p.t}`).toEqual(r.latency);
    }
    expect(body.data_as_of).toBe(asOf(ref.values()));
  }
  // Split by model, filtered and not: each series' points are that model's minutes.
  for (const [interval, minutes, query, where] of [
    ['15m', 15, '', 'true'],
    ['1h', 60, '&status=ok', "status = 'ok'"],
  ] as const) {
    const body = await get(
      `/v1/analytics/timeseries?interval=${interval}&split=model&split_limit=20${query}`,
      range,
    );
    const ref = await fromMinutes(range, where, `${bucketOf(minutes, 'minute')} || '|' || model`);
    const split = body.split as { series: Array<{ key: string; points: Array<Record<string, unknown>> }> };
    expect(split.series).toHaveLength(5);
    for (const s of split.series) {
      for (const p of s.points) expect(pick(p), `${s.key} ${p.t}`).toEqual(pick(ref.get(`${p.t}|${s.key}`)));
    }
  }
  // Breakdowns by every rollup dimension, with and without filters, and the error-type denominator.
  for (const [by, query, where] of [
    ['model', '', 'true'],
    ['provider', '&environment=Staging', "environment = 'staging'"],
    ['operation', '&model=claude-sonnet-4', "model = 'claude-sonnet-4'"],
    ['status', '', 'true'],
    ['environment', '&status=error', "status = 'error'"],
  ] as const) {
    const body = await get(`/v1/analytics/breakdown?by=${by}&limit=100${query}`, range);
    const ref = await fromMinutes(range, where, by);
    const rows = body.rows as Array<Record<string, unknown> & { key: string }>;
    expect(rows.map((r) => r.key).sort()).toEqual([...ref.keys()].sort());
    for (const row of rows) {
      const r = ref.get(row.key);
      expect(pick(row), `${by} ${row.key}`).toEqual(pick(r));
      expect({ p50: row.p50, p95: row.p95 }).toEqual({ p50: r?.latency.p50, p95: r?.latency.p95 });
    }
    expect(body.data_as_of).toBe(asOf(ref.values()));
  }
  const errorTypes = await get('/v1/analytics/breakdown?by=error_type&environment=production', range);
  expect(errorTypes.range_events).toBe(
    (await fromMinutes(range, "environment = 'production'")).get('')?.events,
  );
  // Known values of each rollup dimension, most events first.
  for (const dim of ['model', 'provider', 'operation', 'environment'] as const) {
    const body = await get(`/v1/analytics/values?dimension=${dim}`, range);
    const ref = [...(await fromMinutes(range, `${dim} <> ''`, dim)).entries()]
      .map(([value, r]) => ({ value, events: r.events }))
      .sort((a, b) => b.events - a.events || (a.value < b.value ? -1 : 1));
    expect(body.values, dim).toEqual(ref);
  }
}

/** The blocks and minutes a filtered source reads for this project over `range`. */
async function planOf(range: Range, stepMs: number | null) {
  return withOrg(h.deps.db, orgId, async (client) => {
    const src = await sourceFor(
      client,
      orgId,
      [projectId],
      range,
      { attrs: [], model: 'gpt-4o' },
      { stepMs },
    );
    return src.plan;
  });
}

/** Adds `n` events to the gpt-4o rows of one tier block, in the tier only (no per-minute row changes). */
async function poke(grain: '1h' | '15m' | '5m', blockStart: Date, n: number): Promise<void> {
  const { rowCount } = await h.owner.query(
    `UPDATE dimension_rollups SET events = events + $4
      WHERE project_id = $1 AND grain = $2 AND start = $3 AND model = 'gpt-4o' AND status = 'ok'
        AND (operation, environment) = (SELECT operation, environment FROM dimension_rollups
              WHERE project_id = $1 AND grain = $2 AND start = $3 AND model = 'gpt-4o' AND status = 'ok'
              ORDER BY 1, 2 LIMIT 1)`,
    [projectId, grain, blockStart, n],
  );
  expect(rowCount).toBe(1);
}

describe('filtered aggregates over the dimensional tiers', () => {
  it('equal the per-minute answers with every block clean, on aligned and ragged ranges', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const plan = await planOf(ragged, null);
    // start+7m … end-13m: 3 minutes, a 5-minute block, three 15-minute blocks, 1 hour, three 15-minute
    // blocks, 2 minutes.
    expect([plan?.minutes, plan?.fives, plan?.quarters, plan?.hours].map((list) => list?.length)).toEqual([
      5, 1, 6, 1,
    ]);
    // 15-minute buckets read one 15-minute block each, 5-minute buckets 5-minute blocks.
    const quarters = await planOf(aligned, 15 * MIN);
    expect([quarters?.fives.length, quarters?.quarters.length, quarters?.hours.length]).toEqual([0, 12, 0]);
    const fives = await planOf(aligned, 5 * MIN);
    expect([fives?.fives.length, fives?.quarters.length, fives?.hours.length]).toEqual([36, 0, 0]);
    await expectSameAsMinutes(aligned);
    await expectSameAsMinutes(ragged);
  });

  it('read the tier rows, never for a bucket a block does not fit, and never for a dirty block', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const overview = async (range: Range) =>
      Number((await get('/v1/analytics/overview?model=gpt-4o', range)).events);
    const series = async (interval: string) =>
      (await get(`/v1/analytics/timeseries?interval=${interval}&model=gpt-4o`, aligned)).points as Array<{
        t: string;
        events: number;
      }>;
    const truth = await overview(aligned);
    const raggedTruth = await overview(ragged);
    const hourly = await series('1h');
    const quarterly = await series('15m');
    const fively = await series('5m');
    const plus = (points: typeof hourly, at: Date, n: number) =>
      points.map((p) => ({ ...p, events: p.events + (p.t === at.toISOString() ? n : 0) }));
    // A value that exists only in the middle hour's tier row: whole-range and hourly reads show it,
    // 15-minute buckets (no hour fits one) do not.
    await poke('1h', middleHour, 1000);
    expect(await overview(aligned)).toBe(truth + 1000);
    expect(await overview(ragged)).toBe(raggedTruth + 1000);
    expect(await series('1h')).toEqual(plus(hourly, middleHour, 1000));
    expect(await series('15m')).toEqual(quarterly);
    // A 15-minute block of the last hour: 15-minute buckets read it, 5-minute buckets do not.
    const quarter = new Date(lastHour.getTime() + 15 * MIN);
    await poke('15m', quarter, 7);
    expect(await series('15m')).toEqual(plus(quarterly, quarter, 7));
    expect(await series('5m')).toEqual(fively);
    // One of its 5-minute blocks: 5-minute buckets read it, 15-minute buckets (their block is clean) do not.
    const five = new Date(lastHour.getTime() + 20 * MIN);
    await poke('5m', five, 3);
    expect(await series('5m')).toEqual(plus(fively, five, 3));
    expect(await series('15m')).toEqual(plus(quarterly, quarter, 7));
    // The 15-minute block dirty alone (not built yet, as after migration 0017): its bucket is read from
    // its three clean 5-minute blocks, not from the minutes.
    await h.owner.query(
      `INSERT INTO analytics_dirty (org_id, project_id, grain, start) VALUES ($1, $2, '15m', $3)`,
      [orgId, projectId, quarter],
    );
    expect(await series('15m')).toEqual(plus(quarterly, quarter, 3));
    const planned = await planOf(aligned, 15 * MIN);
    expect([planned?.fives.length, planned?.quarters.length, planned?.minutes.length]).toEqual([3, 11, 0]);
    // Marked dirty as a late event would (all three grains), the blocks are read from the minutes again: the truth.
    await h.owner.query(
      `INSERT INTO analytics_dirty (org_id, project_id, grain, start)
       VALUES ($1, $2, '1h', $3), ($1, $2, '1h', $4), ($1, $2, '5m', $5)`,
      [orgId, projectId, middleHour, lastHour, five],
    );
    expect(await overview(aligned)).toBe(truth);
    expect(await series('15m')).toEqual(quarterly);
    expect(await series('5m')).toEqual(fively);
    expect(await series('1h')).toEqual(hourly);
    // The refresher rebuilds the poked rows from the minutes, and the 15-minute block from its 5-minute rows.
    await refreshAnalyticsTiers({ pool: h.system });
    expect(await overview(aligned)).toBe(truth);
    expect(await series('15m')).toEqual(quarterly);
    expect((await planOf(aligned, null))?.hours.length).toBe(3);
    expect((await planOf(aligned, 15 * MIN))?.quarters.length).toBe(12);
  });

  it('rebuild a 15-minute block from its clean 5-minute rows and the minutes of its dirty ones', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const quarterly = async () =>
      (
        (await get('/v1/analytics/timeseries?interval=15m&model=gpt-4o', aligned)).points as Array<{
          t: string;
          events: number;
        }>
      ).map((p) => ({ t: p.t, events: p.events }));
    const truth = await quarterly();
    // A tier-only change to a clean 5-minute block, then only its 15-minute block marked dirty: the
    // rebuilt 15-minute block adds up the 5-minute rows (it does not rescan the minutes), so it carries it.
    const quarter = new Date(middleHour.getTime() + 30 * MIN);
    const five = new Date(quarter.getTime() + 10 * MIN);
    await poke('5m', five, 11);
    const mark = (grain: '5m' | '15m' | '1h', at: Date) =>
      markDirty(h.owner, { orgId, projectId }, grain, at);
    await mark('15m', quarter);
    await refreshAnalyticsTiers({ pool: h.system });
    const bumped = truth.map((p) => ({ ...p, events: p.events + (p.t === quarter.toISOString() ? 11 : 0) }));
    expect(await quarterly()).toEqual(bumped);
    expect((await planOf(aligned, 15 * MIN))?.quarters.length).toBe(12);
    // With the 5-minute block dirty too, the 15-minute block reads that block's minutes (whichever is rebuilt first).
    await mark('15m', quarter);
    await mark('5m', five);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(await quarterly()).toEqual(truth);
    await expectSameAsMinutes(aligned);
  });

  it('show a late event in an already refreshed hour at once, before and after the refresher', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    // A tier-only value in the hour the late events land in: reading the stale tier would show it.
    await poke('1h', middleHour, 500);
    const late = new Date(middleHour.getTime() + 31 * MIN);
    await seedProject(
      h.system,
      { orgId, projectId, keyId: randomUUID(), from: late, spanMs: 30_000, count: 10, idPrefix: 'late-' },
      new Date(late.getTime() + MIN),
    );
    await expectSameAsMinutes(aligned);
    await expectSameAsMinutes(ragged);
    const plan = await planOf(aligned, null);
    expect(plan?.hours.map((d) => d.toISOString())).not.toContain(middleHour.toISOString());
    const raw = await h.owner.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND model = 'gpt-4o' AND ts >= $2 AND ts < $3",
      [projectId, start, end],
    );
    expect(Number((await get('/v1/analytics/overview?model=gpt-4o', aligned)).events)).toBe(raw.rows[0]?.n);
    await refreshAnalyticsTiers({ pool: h.system });
    expect((await planOf(aligned, null))?.hours.length).toBe(3);
    await expectSameAsMinutes(aligned);
  });

  it('are rebuilt by the refresher when per-minute rows change or vanish', async () => {
    /** Both tiers of the project, and the same sums straight from the minutes, as comparable rows. */
    const compare = async () => {
      for (const [grain, width] of [
        ['5m', '5 minutes'],
        ['15m', '15 minutes'],
        ['1h', '1 hour'],
      ] as const) {
        const want = await h.owner.query(
          `SELECT date_bin('${width}', minute, timestamptz 'epoch') AS start, model, provider, operation, status, environment,
                  sum(events)::int AS events, sum(errors)::int AS errors, sum(input_tokens)::int AS input_tokens,
                  sum(output_tokens)::int AS output_tokens, sum(cost_usd)::text AS cost_usd,
                  llmo_hist_sum(latency_hist) AS latency_hist, max(updated_at) AS source_updated_at
             FROM event_rollups_1m WHERE project_id = $1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
          [projectId],
        );
        const got = await h.owner.query(
          `SELECT start, model, provider, operation, status, environment, events::int, errors::int,
                  input_tokens::int, output_tokens::int, cost_usd::text, latency_hist::jsonb AS latency_hist, source_updated_at
             FROM dimension_rollups WHERE project_id = $1 AND grain = $2 ORDER BY 1, 2, 3, 4, 5, 6`,
          [projectId, grain],
        );
        expect(got.rows.length).toBeGreaterThan(0);
        expect(got.rows).toEqual(want.rows);
      }
    };
    await refreshAnalyticsTiers({ pool: h.system });
    await compare();
    const gone = new Date(start.getTime() + 10 * MIN);
    await h.system.query(
      `UPDATE event_rollups_1m SET events = events + 3, cost_usd = cost_usd + 0.25, latency_hist = '{"100": 9}'
        WHERE project_id = $1 AND minute = $2 AND model = 'gpt-4o'`,
      [projectId, new Date(lastHour.getTime() + 2 * MIN)],
    );
    await h.system.query(
      "DELETE FROM event_rollups_1m WHERE project_id = $1 AND minute >= $2 AND minute < $3 AND model = 'amazon.titan-text'",
      [projectId, middleHour, lastHour],
    );
    await h.system.query(
      'DELETE FROM event_rollups_1m WHERE project_id = $1 AND minute >= $2 AND minute < $3',
      [projectId, gone, new Date(gone.getTime() + 5 * MIN)],
    );
    expect(await refreshAnalyticsTiers({ pool: h.system })).toBeGreaterThan(0);
    await compare();
    const left = await h.owner.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM dimension_rollups WHERE project_id = $1 AND start >= $2 AND start < $3
                 AND model = 'amazon.titan-text')
            + (SELECT count(*) FROM dimension_rollups WHERE project_id = $1 AND grain = '5m' AND start = $4)
            + (SELECT count(*) FROM analytics_rollups WHERE project_id = $1 AND grain = '5m' AND start = $4) AS n`,
      [projectId, middleHour, lastHour, gone],
    );
    expect(Number(left.rows[0]?.n)).toBe(0);
    await expectSameAsMinutes(aligned);
  });

  it('a refresh with its time budget spent starts no block; the blocks stay dirty and answers exact', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    await h.system.query(
      'UPDATE event_rollups_1m SET events = events + 1 WHERE project_id = $1 AND minute = $2',
      [projectId, new Date(middleHour.getTime() + 44 * MIN)],
    );
    expect(await refreshAnalyticsTiers({ pool: h.system, budgetMs: 0 })).toBe(0);
    await expectSameAsMinutes(aligned);
    expect(await refreshAnalyticsTiers({ pool: h.system, budgetMs: 60_000 })).toBeGreaterThan(0);
    await expectSameAsMinutes(aligned);
  });
});
