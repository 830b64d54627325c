// Analytics routes against seeded telemetry: rollup answers equal the same numbers computed from raw events.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAnalyticsTiers } from '../../rollups/tiers/refresh.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { bucketOf } from '../testing/reference.ts';
import { seedProject } from '../testing/seed-telemetry.ts';

let h: Harness;
let orgId: string;
let projectId: string;
let otherProjectId: string;
let token: string;
const HOUR = 3_600_000;
// Three whole hours ending at the start of the current hour; queries use this fixed window.
const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const start = new Date(end.getTime() - 3 * HOUR);
const range = `from=${start.toISOString()}&to=${end.toISOString()}`;

beforeAll(async () => {
  h = await startHarness();
  ({ orgId, projectId } = await h.org());
  const other = await h.system.query<{ id: string }>(
    "INSERT INTO projects (org_id, name) VALUES ($1, 'second') RETURNING id",
    [orgId],
  );
  otherProjectId = other.rows[0]?.id ?? '';
  const spec = { orgId, keyId: randomUUID(), from: start, spanMs: 3 * HOUR };
  await seedProject(h.system, { ...spec, projectId, count: 3000 }, end);
  await seedProject(h.system, { ...spec, projectId: otherProjectId, count: 500, idPrefix: 'o-' }, end);
  token = await h.token(orgId, 'member');
});
afterAll(() => h.close());

async function raw(sql: string, params: unknown[] = []): Promise<Record<string, number | string>[]> {
  return (await h.owner.query(sql, params)).rows;
}

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

describe('analytics', () => {
  it('overview equals the raw totals; percentiles within 1% of the exact ones', async () => {
    const res = await h.call('GET', `/v1/analytics/overview?project_id=${projectId}&${range}`, { token });
    expect(res.status).toBe(200);
    const [t] = await raw(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE status = 'error')::int AS errors,
              sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens, sum(cost_usd) AS cost_usd
         FROM telemetry_events WHERE project_id = $1 AND ts >= $2 AND ts < $3`,
      [projectId, start, end],
    );
    expect(res.body).toMatchObject({
      events: 3000,
      errors: t?.errors,
      input_tokens: t?.input_tokens,
      output_tokens: t?.output_tokens,
    });
    expect(res.body.cost_usd).toBeCloseTo(Number(t?.cost_usd), 6);
    expect(res.body.error_rate).toBeCloseTo(Number(t?.errors) / 3000, 10);
    const durations = (
      await raw('SELECT duration_ms AS d FROM telemetry_events WHERE project_id = $1', [projectId])
    )
      .map((r) => Number(r.d))
      .sort((a, b) => a - b);
    const lat = res.body.latency_ms as Record<string, number>;
    for (const [name, q] of [
      ['p50', 0.5],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      const exact = exactQuantile(durations, q);
      expect(Math.abs((lat[name] ?? 0) - exact) / exact).toBeLessThanOrEqual(0.0101);
    }
    expect(typeof res.body.data_as_of).toBe('string');
  });

  it('without project_id, overview covers every project of the org', async () => {
    const res = await h.call('GET', `/v1/analytics/overview?${range}`, { token });
    expect(res.body.events).toBe(3500);
  });

  it('timeseries has one point per interval, gaps as zeros, summing to the overview', async () => {
    const res = await h.call(
      'GET',
      `/v1/analytics/timeseries?project_id=${projectId}&${range}&interval=15m`,
      {
        token,
      },
    );
    expect(res.status).toBe(200);
    const points = res.body.points as Array<{ t: string; events: number; p95: number | null }>;
    expect(res.body.interval).toBe('15m');
    expect(points).toHaveLength(12);
    expect(points[0]?.t).toBe(start.toISOString());
    expect(points.reduce((n, p) => n + p.events, 0)).toBe(3000);
    for (const p of points) expect(p.events).toBe(250);
    const hourly = await h.call(
      'GET',
      `/v1/analytics/timeseries?project_id=${projectId}&from=${new Date(start.getTime() - 2 * HOUR).toISOString()}&to=${end.toISOString()}&interval=1h`,
      { token },
    );
    const hp = hourly.body.points as Array<{ events: number; p95: number | null }>;
    expect(hp.map((p) => p.events)).toEqual([0, 0, 1000, 1000, 1000]);
    expect(hp[0]?.p95).toBeNull();
  });

  it('breakdown by model equals the raw group-by', async () => {
    const res = await h.call('GET', `/v1/analytics/breakdown?project_id=${projectId}&${range}&by=model`, {
      token,
    });
    expect(res.status).toBe(200);
    const rows = await raw(
      `SELECT model AS key, count(*)::int AS events, count(*) FILTER (WHERE status = 'error')::int AS errors
         FROM telemetry_events WHERE project_id = $1 GROUP BY model`,
      [projectId],
    );
    const got = (res.body.rows as Array<{ key: string; events: number; errors: number; p95: number }>).map(
      (r) => ({
        key: r.key,
        events: r.events,
        errors: r.errors,
      }),
    );
    expect(got).toEqual(
      expect.arrayContaining(rows.map((r) => ({ key: r.key, events: r.events, errors: r.errors }))),
    );
    expect(got).toHaveLength(rows.length);
    for (const by of ['provider', 'operation', 'status', 'environment']) {
      const r = await h.call('GET', `/v1/analytics/breakdown?${range}&by=${by}`, { token });
      expect(r.status).toBe(200);
      expect((r.body.rows as Array<{ events: number }>).reduce((n, x) => n + x.events, 0)).toBe(3500);
    }
  });

  it('breakdown answers the top `limit` values and one "other" row, which add up to the totals', async () => {
    const res = await h.call(
      'GET',
      `/v1/analytics/breakdown?project_id=${projectId}&${range}&by=model&limit=2`,
      { token },
    );
    expect(res.status).toBe(200);
    const ranked = await raw(
      `SELECT model AS key, count(*)::int AS events, count(*) FILTER (WHERE status = 'error')::int AS errors,
              sum(input_tokens)::bigint AS input_tokens
         FROM telemetry_events WHERE project_id = $1 GROUP BY model ORDER BY 2 DESC, model COLLATE "C"`,
      [projectId],
    );
    const rows = res.body.rows as Array<{ key: string; events: number; errors: number; p95: number | null }>;
    expect(rows.map((r) => ({ key: r.key, events: r.events, errors: r.errors }))).toEqual(
      ranked.slice(0, 2).map((r) => ({ key: r.key, events: r.events, errors: r.errors })),
    );
    const rest = ranked.slice(2);
    const other = res.body.other as Record<string, number>;
    expect(res.body.limit).toBe(2);
    expect(other).toMatchObject({
      keys: rest.length,
      events: rest.reduce((n, r) => n + Number(r.events), 0),
      errors: rest.reduce((n, r) => n + Number(r.errors), 0),
      input_tokens: rest.reduce((n, r) => n + Number(r.input_tokens), 0),
    });
    expect(rows.reduce((n, r) => n + r.events, 0) + (other.events ?? 0)).toBe(3000);
    // "other"'s percentiles come from its members' merged histograms: within 1% of the exact ones.
    const durations = (
      await raw(
        'SELECT duration_ms AS d FROM telemetry_events WHERE project_id = $1 AND NOT model = ANY($2)',
        [projectId, rows.map((r) => r.key)],
      )
    )
      .map((r) => Number(r.d))
      .sort((a, b) => a - b);
    for (const [name, q] of [
      ['p50', 0.5],
      ['p95', 0.95],
    ] as const) {
      const exact = exactQuantile(durations, q);
      expect(Math.abs((other[name] ?? 0) - exact) / exact).toBeLessThanOrEqual(0.0101);
    }
    const all = await h.call('GET', `/v1/analytics/breakdown?project_id=${projectId}&${range}&by=model`, {
      token,
    });
    expect(all.body.limit).toBe(20);
    expect(all.body.other).toBeNull();
    expect(all.body.rows).toHaveLength(ranked.length);
  });

  it('breakdown size is bounded by limit however many distinct values a project has', async () => {
    const org = await h.org();
    const minute = new Date(start.getTime() + 10 * 60_000);
    await h.system.query(
      `INSERT INTO event_rollups_1m (org_id, project_id, minute, model, provider, operation, status, environment,
                                     events, errors, input_tokens, output_tokens, cost_usd, latency_count, latency_hist)
       SELECT $1, $2, $3, 'model-' || g, 'openai', 'chat', 'ok', '', g, 0, g, 0, 0, 1, '{"100": 1}'::jsonb
         FROM generate_series(1, 3000) AS g`,
      [org.orgId, org.projectId, minute],
    );
    const t = await h.token(org.orgId, 'member');
    const res = await h.call('GET', `/v1/analytics/breakdown?${range}&by=model`, { token: t });
    expect(res.status).toBe(200);
    const rows = res.body.rows as Array<{ key: string; events: number }>;
    expect(rows).toHaveLength(20);
    expect(rows[0]).toMatchObject({ key: 'model-3000', events: 3000 });
    const other = res.body.other as { keys: number; events: number; p50: number | null };
    expect(other.keys).toBe(2980);
    expect(rows.reduce((n, r) => n + r.events, 0) + other.events).toBe((3000 * 3001) / 2);
    expect(other.p50).not.toBeNull();
    const max = await h.call('GET', `/v1/analytics/breakdown?${range}&by=model&limit=1000`, { token: t });
    expect(max.body.rows).toHaveLength(1000);
    expect((max.body.other as { keys: number }).keys).toBe(2000);
    const tooMany = await h.call('GET', `/v1/analytics/breakdown?${range}&by=model&limit=1001`, { token: t });
    expect(tooMany.body.error).toMatchObject({ code: 'invalid_limit', parameter: 'limit' });
  });

  it('the explorer pages newest first with a keyset cursor and filters, without gaps or repeats', async () => {
    const seen = new Set<string>();
    let previous = Number.POSITIVE_INFINITY;
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await h.call(
        'GET',
        `/v1/analytics/events?project_id=${projectId}&${range}&model=gpt-4o&status=ok&limit=200${q}`,
        { token },
      );
      expect(res.status).toBe(200);
      for (const item of res.body.items as Array<Record<string, unknown>>) {
        expect(item).toMatchObject({
          model: 'gpt-4o',
          status: 'ok',
          project_id: projectId,
          schema_version: '1.0',
        });
        expect(typeof item.received_at).toBe('string');
        const ts = Date.parse(String(item.timestamp));
        expect(ts).toBeLessThanOrEqual(previous);
        previous = ts;
        expect(seen.has(String(item.event_id))).toBe(false);
        seen.add(String(item.event_id));
      }
      cursor = res.body.next_cursor as string | null;
      pages += 1;
    } while (cursor && pages < 50);
    const [n] = await raw(
      "SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND model = 'gpt-4o' AND status = 'ok'",
      [projectId],
    );
    expect(seen.size).toBe(n?.n);
    expect(pages).toBeGreaterThan(1);
  });

  it('the explorer over all projects merges them in (ts, project, event) order across pages', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await h.call('GET', `/v1/analytics/events?${range}&environment=staging&limit=37${q}`, {
        token,
      });
      expect(res.status).toBe(200);
      for (const item of res.body.items as Array<Record<string, unknown>>)
        ids.push(`${item.project_id}/${item.event_id}`);
      cursor = res.body.next_cursor as string | null;
    } while (cursor);
    const want = await raw(
      `SELECT project_id || '/' || event_id AS id FROM telemetry_events
        WHERE org_id = $1 AND environment = 'staging' AND ts >= $2 AND ts < $3
        ORDER BY ts DESC, project_id DESC, event_id DESC`,
      [orgId, start, end],
    );
    expect(new Set(want.map((r) => String(r.id).split('/')[0])).size).toBe(2);
    expect(ids).toEqual(want.map((r) => r.id));
  });

  it('answers the same from the refreshed tiers, and a late change shows at once', async () => {
    const ov = `/v1/analytics/overview?project_id=${projectId}&from=${new Date(start.getTime() + 7 * 60_000).toISOString()}&to=${end.toISOString()}`;
    const ts = `/v1/analytics/timeseries?project_id=${projectId}&${range}&interval=5m`;
    const ts1h = `/v1/analytics/timeseries?${range}&interval=1h`;
    const ts15 = `/v1/analytics/timeseries?project_id=${projectId}&${range}&interval=15m`;
    const before = [
      await h.call('GET', ov, { token }),
      await h.call('GET', ts, { token }),
      await h.call('GET', ts1h, { token }),
    ];
    expect(await refreshAnalyticsTiers({ pool: h.system })).toBeGreaterThan(0);
    const tiers = await h.owner.query(
      'SELECT grain, count(*)::int AS n FROM analytics_rollups WHERE project_id = $1 GROUP BY grain ORDER BY grain',
      [projectId],
    );
    expect(tiers.rows).toEqual([
      { grain: '15m', n: 12 },
      { grain: '1h', n: 3 },
      { grain: '5m', n: 36 },
    ]);
    const after = [
      await h.call('GET', ov, { token }),
      await h.call('GET', ts, { token }),
      await h.call('GET', ts1h, { token }),
    ];
    for (const [i, b] of before.entries()) {
      const a = after[i];
      expect({ ...a?.body, data_as_of: null }).toEqual({ ...b.body, data_as_of: null });
    }
    // 15-minute buckets: one 15-minute tier row each, equal to the sums of their minutes (exact numerics:
    // no bucket adds up several rows in floating point here).
    const quarterly = async () =>
      (await h.call('GET', ts15, { token })).body.points as Array<{
        t: string;
        events: number;
        cost_usd: number;
      }>;
    const minutes = await h.owner.query<{ t: string; events: number; cost_usd: number }>(
      `SELECT ${bucketOf(15, 'minute')} AS t, sum(events)::int AS events, sum(cost_usd) AS cost_usd
         FROM event_rollups_1m WHERE project_id = $1 AND minute >= $2 AND minute < $3 GROUP BY 1 ORDER BY 1`,
      [projectId, start, end],
    );
    const tierPoints = await quarterly();
    expect(tierPoints.map((p) => ({ t: p.t, events: p.events, cost_usd: p.cost_usd }))).toEqual(
      minutes.rows.map((r) => ({ ...r, cost_usd: Math.round(Number(r.cost_usd) * 1e6) / 1e6 })),
    );
    // Proof they are read: a value only in one 15-minute row shows in its bucket, not in 5-minute buckets;
    // dirty, the bucket reads its 5-minute rows again.
    const quarter = new Date(start.getTime() + 75 * 60_000);
    await h.owner.query(
      "UPDATE analytics_rollups SET events = events + 5 WHERE project_id = $1 AND grain = '15m' AND start = $2",
      [projectId, quarter],
    );
    expect((await quarterly()).map((p) => p.events)).toEqual(
      tierPoints.map((p) => p.events + (p.t === quarter.toISOString() ? 5 : 0)),
    );
    expect((await h.call('GET', ts, { token })).body).toEqual(after[1]?.body);
    await h.owner.query(
      "INSERT INTO analytics_dirty (org_id, project_id, grain, start) VALUES ($1, $2, '15m', $3)",
      [orgId, projectId, quarter],
    );
    expect((await quarterly()).map((p) => p.events)).toEqual(tierPoints.map((p) => p.events));
    await refreshAnalyticsTiers({ pool: h.system });
    expect(await quarterly()).toEqual(tierPoints);
    // Late events for a minute already folded into the tiers: the block turns dirty, the answer stays exact.
    const late = new Date(start.getTime() + 90 * 60_000);
    await seedProject(
      h.system,
      { orgId, projectId, keyId: randomUUID(), from: late, spanMs: 30_000, count: 7, idPrefix: 'late-' },
      new Date(late.getTime() + 60_000),
    );
    const fresh = await h.call('GET', `/v1/analytics/overview?project_id=${projectId}&${range}`, { token });
    expect(fresh.body.events).toBe(3007);
    await refreshAnalyticsTiers({ pool: h.system });
    const refreshed = await h.call('GET', `/v1/analytics/overview?project_id=${projectId}&${range}`, {
      token,
    });
    expect({ ...refreshed.body, data_as_of: null }).toEqual({ ...fresh.body, data_as_of: null });
    const hourly = await h.call('GET', ts1h, { token });
    const earlier = ((before[2]?.body.points ?? []) as Array<{ events: number }>).map((p) => p.events);
    expect((hourly.body.points as Array<{ events: number }>).map((p) => p.events)).toEqual(
      earlier.map((n, i) => n + (i === 1 ? 7 : 0)),
    );
  });

  it('rejects bad parameters with named 400s', async () => {
    const bad = async (query: string, route = 'overview'): Promise<string | undefined> =>
      (await h.call('GET', `/v1/analytics/${route}?${query}`, { token })).body.error?.code;
    expect(await bad(`from=${end.toISOString()}&to=${start.toISOString()}`)).toBe('invalid_range');
    expect(await bad('from=yesterday')).toBe('invalid_range');
    expect(await bad(`from=2020-01-01T00:00:00Z&to=2020-06-01T00:00:00Z`)).toBe('range_too_large');
    expect(await bad(`${range}&interval=7m`, 'timeseries')).toBe('invalid_interval');
    expect(await bad(`from=2026-01-01T00:00:00Z&to=2026-01-30T00:00:00Z&interval=1m`, 'timeseries')).toBe(
      'invalid_interval',
    );
    expect(await bad(`${range}&by=user_id`, 'breakdown')).toBe('invalid_by');
    expect(await bad(`${range}`, 'breakdown')).toBe('invalid_by');
    expect(await bad(`${range}&cursor=abc`, 'events')).toBe('invalid_cursor');
    expect(await bad(`${range}&status=maybe`, 'events')).toBe('invalid_filter');
    expect(await bad('project_id=123')).toBe('invalid_project_id');
    const missing = await h.call('GET', `/v1/analytics/overview?project_id=${randomUUID()}`, { token });
    expect(missing.status).toBe(404);
  });
});
