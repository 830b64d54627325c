// Filters on overview, timeseries and breakdown (rollup- and event-backed), error-type breakdown and the by-model split, against raw SQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';
import { seedProject } from '../testing/seed-telemetry.ts';

let h: Harness;
let projectId: string;
let token: string;
const HOUR = 3_600_000;
const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const start = new Date(end.getTime() - 2 * HOUR);
const range = `from=${start.toISOString()}&to=${end.toISOString()}`;

beforeAll(async () => {
  h = await startHarness();
  let orgId: string;
  ({ orgId, projectId } = await h.org());
  await seedProject(
    h.system,
    {
      orgId,
      projectId,
      keyId: randomUUID(),
      from: start,
      spanMs: 2 * HOUR,
      count: 2400,
    },
    end,
  );
  token = await h.token(orgId, 'member');
});
afterAll(() => h.close());

type Row = Totals & { key: string };
/** The answer shapes these tests read. */
type Answer = Record<string, unknown> & {
  latency_ms: { p50: number | null };
  points: Array<Totals & { t: string }>;
  split: { series: Array<{ key: string; other: boolean; keys: number; points: Totals[] }> };
  rows: Row[];
};
type Totals = {
  events: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
};

/** The same counters computed straight from telemetry_events (owner connection, no rollups). */
async function rawTotals(where: string, params: unknown[] = [], group = "''"): Promise<Map<string, Totals>> {
  const { rows } = await h.owner.query(
    `SELECT ${group} AS g, count(*)::int AS events, count(*) FILTER (WHERE status = 'error')::int AS errors,
            coalesce(sum(input_tokens), 0)::int AS input_tokens, coalesce(sum(output_tokens), 0)::int AS output_tokens,
            coalesce(sum(cost_usd), 0)::float8 AS cost_usd
       FROM telemetry_events WHERE project_id = $1 AND ts >= $2 AND ts < $3 AND ${where} GROUP BY 1`,
    [projectId, start, end, ...params],
  );
  return new Map(rows.map((r) => [String(r.g), r as Totals]));
}

function expectTotals(got: Record<string, unknown>, want: Totals | undefined): void {
  expect(want).toBeDefined();
  expect(got).toMatchObject({
    events: want?.events,
    errors: want?.errors,
    input_tokens: want?.input_tokens,
    output_tokens: want?.output_tokens,
  });
  expect(got.cost_usd as number).toBeCloseTo(want?.cost_usd ?? Number.NaN, 5);
}

async function get(path: string) {
  const res = await h.call(
    'GET',
    `${path}${path.includes('?') ? '&' : '?'}project_id=${projectId}&${range}`,
    {
      token,
    },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Answer;
}

describe('overview with filters', () => {
  it('answers rollup dimensions (any case) and event-only dimensions with the raw totals', async () => {
    const cases: Array<[string, string, unknown[]]> = [
      ['model=GPT-4O', "model = 'gpt-4o'", []],
      ['environment=staging&status=OK', "environment = 'staging' AND status = 'ok'", []],
      ['user_id=user-7', 'user_id = $4', ['user-7']],
      [
        'attr.route=/chat&provider=OpenAI',
        "event -> 'attributes' ->> 'route' = '/chat' AND provider = 'openai'",
        [],
      ],
      ['error_type=TIMEOUT', "status = 'error' AND lower(error_type) = 'timeout'", []],
      [`session_id=ev-s3`, "session_id = 'ev-s3'", []],
    ];
    for (const [query, where, params] of cases) {
      const body = await get(`/v1/analytics/overview?${query}`);
      const raw = await rawTotals(where, params);
      expectTotals(body, raw.get(''));
      expect(body.error_rate).toBeCloseTo((raw.get('')?.errors ?? 0) / (raw.get('')?.events ?? 1), 10);
      expect(body.latency_ms.p50).not.toBeNull();
    }
  });

  it('gives zeros, not an error, when nothing matches; and names a bad filter', async () => {
    const body = await get('/v1/analytics/overview?attr.route=/nowhere');
    expect(body).toMatchObject({ events: 0, errors: 0, latency_ms: { p50: null, p95: null, p99: null } });
    const bad = await h.call('GET', `/v1/analytics/overview?project_id=${projectId}&trace_id=xyz`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_filter', parameter: 'trace_id' });
  });
});

describe('timeseries with filters', () => {
  it('fills every bucket of the range with the raw counters of the filter', async () => {
    const body = await get('/v1/analytics/timeseries?interval=15m&attr.retry=true');
    const raw = await rawTotals(
      "event -> 'attributes' ->> 'retry' = 'true'",
      [],
      `to_char(date_bin('15 minutes', ts, timestamptz 'epoch') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    );
    expect(body.points).toHaveLength(8);
    for (const p of body.points)
      expectTotals(
        p,
        raw.get(p.t) ?? { events: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 },
      );
    expect(body.split).toBeNull();
  });

  it('splits by model: the top models by cost plus other, adding up to the points', async () => {
    const body = await get(
      '/v1/analytics/timeseries?interval=1h&split=model&split_limit=2&environment=production',
    );
    const byModel = await rawTotals("environment = 'production'", [], 'model');
    const top = [...byModel.entries()].sort((a, b) => b[1].cost_usd - a[1].cost_usd).slice(0, 2);
    const series = body.split.series as Array<{
      key: string;
      other: boolean;
      keys: number;
      points: Totals[];
    }>;
    expect(series.map((s) => s.key)).toEqual([...top.map(([k]) => k), '']);
    expect(series[2]).toMatchObject({ other: true, keys: byModel.size - 2 });
    body.points.forEach((p, i) => {
      expect(series.reduce((n, s) => n + (s.points[i]?.events ?? 0), 0)).toBe(p.events);
    });
    const first = series[0];
    expect(first?.points.reduce((n, p) => n + p.events, 0)).toBe(top[0]?.[1].events);
  });

  it('a filtered split answers the points of the filter alone, its series adding up to them', async () => {
    // Raw-event filters (one scan for points and split) and a rollup filter (two passes).
    for (const filter of [
      'user_id=user-7',
      'attr.route=/chat',
      'error_type=TIMEOUT',
      'environment=production',
    ]) {
      const alone = await get(`/v1/analytics/timeseries?interval=15m&${filter}`);
      const split = await get(`/v1/analytics/timeseries?interval=15m&split=model&split_limit=2&${filter}`);
      expect(alone.points.filter((p) => p.events > 0).length, filter).toBeGreaterThan(1);
      expect(split.points, filter).toEqual(alone.points);
      expect(split.data_as_of, filter).toBe(alone.data_as_of);
      split.points.forEach((p, i) => {
        expect(
          split.split.series.reduce((n, s) => n + (s.points[i]?.events ?? 0), 0),
          `${filter} ${p.t}`,
        ).toBe(p.events);
      });
    }
  });

  it('refuses an unknown split', async () => {
    const bad = await h.call('GET', `/v1/analytics/timeseries?split=provider`, { token });
    expect(bad.body.error).toMatchObject({ code: 'invalid_split', parameter: 'split' });
  });
});

describe('breakdown with filters', () => {
  it('groups by a dimension under rollup and event filters alike', async () => {
    for (const [query, where] of [
      ['status=ok', "status = 'ok'"],
      ['attr.route=/search', "event -> 'attributes' ->> 'route' = '/search'"],
    ] as const) {
      const body = await get(`/v1/analytics/breakdown?by=model&${query}`);
      const raw = await rawTotals(where, [], 'model');
      expect(body.rows).toHaveLength(raw.size);
      for (const row of body.rows) expectTotals(row, raw.get(row.key));
      expect(body.range_events).toBe([...raw.values()].reduce((n, t) => n + t.events, 0));
    }
  });

  it('groups failed events by error type, with every event of the range as the denominator', async () => {
    const body = await get('/v1/analytics/breakdown?by=error_type&environment=production');
    const raw = await rawTotals("status = 'error' AND environment = 'production'", [], 'error_type');
    const all = await rawTotals("environment = 'production'");
    expect(new Set(body.rows.map((r) => r.key))).toEqual(new Set(raw.keys()));
    for (const row of body.rows) expectTotals(row, raw.get(row.key));
    expect(body.range_events).toBe(all.get('')?.events);
    expect(body.other).toBeNull();
    // Unfiltered, the denominator comes from the tiers/rollups: still every event of the range.
    const unfiltered = await get('/v1/analytics/breakdown?by=error_type&limit=1');
    expect(unfiltered.range_events).toBe((await rawTotals('true')).get('')?.events);
    expect(unfiltered.rows).toHaveLength(1);
    expect(unfiltered.other).toMatchObject({ keys: 2 });
  });
});
