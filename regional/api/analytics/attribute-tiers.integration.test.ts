// Aggregates with one attr.<key>=<value> filter over the attribute tiers (1h, 15m, 5m) equal the raw-event answers: clean, dirty, ragged, overflowed, odd values; and proof the tier is read.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../db/tenant.ts';
import { ATTRIBUTE_PAIR_CAP, ATTRIBUTE_VALUE_MAX_LENGTH } from '../../rollups/tiers/attributes.ts';
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
import { aggregate, sourceFor, wholeRange } from './source.ts';

let h: Harness;
let orgId: string;
let projectId: string;
let token: string;
const { MIN, HOUR, end, start, aligned, ragged, middleHour, lastHour } = tierTestRanges();
// The one 5-minute block (in the last hour) where `long` has a value over the cap's length.
const longBlock = new Date(lastHour.getTime() + 25 * MIN);
const LONG = 'x'.repeat(ATTRIBUTE_VALUE_MAX_LENGTH + 1);
// The one 5-minute block (in the last hour) whose events carry six more keys of 90 values each: more
// pairs than ATTRIBUTE_PAIR_CAP, so the last of them (k5) overflows there and in its hour.
const pairBlock = new Date(lastHour.getTime() + 40 * MIN);
const PAIR_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
// The one 15-minute block (in the first hour) whose events carry `mid`: 40 values in each of its
// 5-minute blocks, 120 in the 15-minute block, so `mid` overflows there (and in its hour) but in none of
// its 5-minute blocks.
const midBlock = new Date(start.getTime() + 15 * MIN);

/** Attribute filters checked everywhere: strings, numbers as written, booleans, a nested object, an overflowing key. */
const FILTERS: Array<[string, string]> = [
  ['route', '/chat'],
  ['retry', 'true'],
  ['n', '2.50'],
  ['n', '3'],
  ['obj', '{"a" : [1, 2]}'],
  ['big', 'v7'],
  ['big', 'v1'],
  ['long', 'short'],
  ['long', LONG],
  ['dup', 'first'],
  ['dup', 'second'],
  ['nul', 'null'],
  ['missing', 'x'],
  ['k0', '7'],
  ['k5', '7'],
  ['mid', '7'],
  ['mid', '87'],
];

beforeAll(async () => {
  h = await startHarness();
  ({ orgId, projectId } = await h.org());
  await seedProject(
    h.system,
    { orgId, projectId, keyId: randomUUID(), from: start, spanMs: 3 * HOUR, count: 7200 },
    end,
  );
  // More attributes, written into the stored JSON text as an SDK could send them: a number kept as
  // written (2.50), a boolean, a nested object with its own spacing, a JSON null, a repeated key,
  // `big` with 150 values per block in the middle hour (over the cap there) and 3 elsewhere, and
  // `long` with one over-long value in one block, the six pair keys in one block, and `mid` in one
  // 15-minute block.
  const updated = await h.owner.query(
    `UPDATE telemetry_events SET event = regexp_replace(event::text, '"attributes"\\s*:\\s*\\{',
       '"attributes" : {"n" : ' || CASE WHEN i % 2 = 0 THEN '2.50' ELSE '3' END || ', "flag" : ' || (i % 3 = 0)::text
       || ', "obj" : {"a" : [1, 2]}, "nul" : null, "dup" : "first", "dup" : "second", "big" : "v'
       || CASE WHEN ts >= $2 AND ts < $3 THEN i % 150 ELSE i % 3 END || '", "long" : "'
       || CASE WHEN ts >= $4 AND ts < $5 AND i % 10 = 0 THEN $6 ELSE 'short' END || '", '
       || CASE WHEN ts >= $7 AND ts < $8 THEN ${PAIR_KEYS.map((k) => `'"${k}" : "' || i % 90 || '", '`).join(' || ')} ELSE '' END
       || CASE WHEN ts >= $9 AND ts < $10
               THEN '"mid" : "' || (floor(extract(epoch FROM ts - $9) / 300)::int * 40 + i % 40) || '", ' ELSE '' END)::json
       FROM (SELECT event_id AS id, substr(event_id, 4)::int AS i FROM telemetry_events WHERE project_id = $1) x
      WHERE telemetry_events.project_id = $1 AND telemetry_events.event_id = x.id`,
    [
      projectId,
      middleHour,
      new Date(middleHour.getTime() + HOUR),
      longBlock,
      new Date(longBlock.getTime() + 5 * MIN),
      LONG,
      pairBlock,
      new Date(pairBlock.getTime() + 5 * MIN),
      midBlock,
      new Date(midBlock.getTime() + 15 * MIN),
    ],
  );
  const changed = await h.owner.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND event -> 'attributes' ->> 'obj' IS NOT NULL`,
    [projectId],
  );
  expect([updated.rowCount, changed.rows[0]?.n]).toEqual([7200, 7200]);
  token = await h.token(orgId, 'member');
});
afterAll(() => h.close());

/**
 * The truth: the same aggregate straight from telemetry_events with the raw-event filter
 * `(event -> 'attributes' ->> key) = value` and `where`, grouped by `group` (SQL over events).
 */
async function fromEvents(
  range: Range,
  [key, value]: [string, string],
  where = 'true',
  group = "''",
): Promise<Map<string, Ref>> {
  const rowsOf = `FROM telemetry_events WHERE project_id = $1 AND ts >= $2 AND ts < $3
                    AND (event -> 'attributes' ->> $4::text) = $5::text AND ${where}`;
  const params = [projectId, range.from, range.to, key, value];
  const { rows } = await h.owner.query<Record<string, string> & { g: string; updated_at: Date | null }>(
    `SELECT ${group} AS g, count(*) AS events, count(*) FILTER (WHERE status = 'error') AS errors,
            coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
            coalesce(sum(cost_usd), 0) AS cost_usd, max(received_at) AS updated_at
       ${rowsOf} GROUP BY 1`,
    params,
  );
  const buckets = await h.owner.query<{ g: string; b: string; n: string }>(
    `SELECT ${group} AS g, llmo_latency_bucket(duration_ms) AS b, count(*) AS n
       ${rowsOf} AND duration_ms IS NOT NULL GROUP BY 1, 2`,
    params,
  );
  return referenceGroups(rows, buckets.rows);
}

const attrQuery = ([key, value]: [string, string]) => `attr.${key}=${encodeURIComponent(value)}`;

async function get(path: string, range: Range) {
  const res = await h.call(
    'GET',
    `${path}&project_id=${projectId}&from=${range.from.toISOString()}&to=${range.to.toISOString()}`,
    { token },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Record<string, unknown>;
}

/** Every kind of value once: for the passes after the first, which check what changed (edges, late events). */
const SOME_FILTERS: Array<[string, string]> = [
  ['route', '/chat'],
  ['n', '2.50'],
  ['big', 'v7'],
  ['long', LONG],
];

/** Overview, timeseries and breakdowns with attribute filters, each compared with the raw-event truth. */
async function expectSameAsEvents(range: Range, filters = FILTERS): Promise<void> {
  for (const attr of filters) {
    const body = await get(`/v1/analytics/overview?${attrQuery(attr)}`, range);
    const ref = (await fromEvents(range, attr)).get('');
    expect(pick(body), attr.join('=')).toEqual(pick(ref));
    expect(body.latency_ms, attr.join('=')).toEqual(ref?.latency ?? { p50: null, p95: null, p99: null });
    expect(body.data_as_of, attr.join('=')).toBe(asOf(ref ? [ref] : []));
  }
  // With rollup filters beside the attribute (any case).
  for (const [query, attr, where] of [
    ['model=GPT-4o', ['route', '/chat'], "model = 'gpt-4o'"],
    ['environment=staging&status=ok', ['big', 'v1'], "environment = 'staging' AND status = 'ok'"],
  ] as const) {
    const body = await get(`/v1/analytics/overview?${query}&${attrQuery([...attr])}`, range);
    const ref = (await fromEvents(range, [...attr], where)).get('');
    expect(pick(body), query).toEqual(pick(ref));
    expect(body.latency_ms, query).toEqual(ref?.latency);
  }
  // Timeseries at steps that fit no block, 5-minute blocks, and hours.
  for (const [interval, minutes, attr] of [
    ['1m', 1, ['route', '/search']],
    ['5m', 5, ['big', 'v2']],
    ['15m', 15, ['long', 'short']],
    ['1h', 60, ['route', '/chat']],
  ] as const) {
    const body = await get(`/v1/analytics/timeseries?interval=${interval}&${attrQuery([...attr])}`, range);
    const ref = await fromEvents(range, [...attr], 'true', bucketOf(minutes, 'ts'));
    const points = body.points as Array<Record<string, unknown> & { t: string }>;
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      const r = ref.get(p.t);
      expect(pick(p), `${interval} ${p.t}`).toEqual(pick(r));
      if (r) expect({ p50: p.p50, p95: p.p95, p99: p.p99 }, `${interval} ${p.t}`).toEqual(r.latency);
    }
    expect(body.data_as_of).toBe(asOf(ref.values()));
  }
  // Split by model under an attribute filter.
  const split = await get(
    '/v1/analytics/timeseries?interval=15m&split=model&split_limit=20&attr.flag=true',
    range,
  );
  const splitRef = await fromEvents(range, ['flag', 'true'], 'true', `${bucketOf(15, 'ts')} || '|' || model`);
  const series = (split.split as { series: Array<{ key: string; points: Array<Record<string, unknown>> }> })
    .series;
  expect(series).toHaveLength(5);
  for (const s of series) {
    for (const p of s.points)
      expect(pick(p), `${s.key} ${p.t}`).toEqual(pick(splitRef.get(`${p.t}|${s.key}`)));
  }
  // Breakdowns by every rollup dimension, and the error-type denominator.
  for (const [by, attr] of [
    ['model', ['route', '/chat']],
    ['provider', ['big', 'v7']],
    ['operation', ['n', '2.50']],
    ['status', ['obj', '{"a" : [1, 2]}']],
    ['environment', ['retry', 'false']],
  ] as const) {
    const body = await get(`/v1/analytics/breakdown?by=${by}&limit=100&${attrQuery([...attr])}`, range);
    const ref = await fromEvents(range, [...attr], 'true', by);
    const rows = body.rows as Array<Record<string, unknown> & { key: string }>;
    expect(rows.map((r) => r.key).sort(), by).toEqual([...ref.keys()].sort());
    for (const row of rows) {
      const r = ref.get(row.key);
      expect(pick(row), `${by} ${row.key}`).toEqual(pick(r));
      expect({ p50: row.p50, p95: row.p95 }).toEqual({ p50: r?.latency.p50, p95: r?.latency.p95 });
    }
    expect(body.data_as_of).toBe(asOf(ref.values()));
  }
  const errorTypes = await get('/v1/analytics/breakdown?by=error_type&attr.route=/summarize', range);
  expect(errorTypes.range_events).toBe((await fromEvents(range, ['route', '/summarize'])).get('')?.events);
}

/** The plan (and whether raw events are read) of an attribute-filtered source for this project. */
async function sourceOf(range: Range, attr: [string, string], stepMs: number | null = null) {
  return withOrg(h.deps.db, orgId, async (client) => {
    const src = await sourceFor(client, orgId, [projectId], range, { attrs: [attr] }, { stepMs });
    return { plan: src.plan, kind: src.kind, readsEvents: src.readsEvents };
  });
}

/**
 * The tier rows of key `route`, both grains, per combination of the five dimensions and per model,
 * equal the same sums (and histograms) straight from the raw events.
 */
async function expectTierSameAsEvents(): Promise<void> {
  for (const [grain, width] of [
    ['5m', '5 minutes'],
    ['15m', '15 minutes'],
    ['1h', '1 hour'],
  ] as const) {
    for (const [table, dims] of [
      ['attribute_rollups', 'model, provider, operation, status, environment'],
      ['attribute_model_rollups', 'model'],
    ] as const) {
      const n = dims.split(',').length;
      const groups = Array.from({ length: n + 2 }, (_, i) => i + 1).join(', ');
      const want = await h.owner.query(
        `SELECT start, value, ${dims}, sum(n)::int AS events, sum(err)::int AS errors, sum(itok)::int AS input_tokens,
                sum(otok)::int AS output_tokens, sum(cost)::text AS cost_usd,
                coalesce(jsonb_object_agg(b, n) FILTER (WHERE b IS NOT NULL), '{}') AS latency_hist,
                max(rcv) AS source_updated_at
           FROM (SELECT date_bin('${width}', ts, timestamptz 'epoch') AS start, event -> 'attributes' ->> 'route' AS value,
                        ${dims}, llmo_latency_bucket(duration_ms) AS b, count(*) AS n,
                        count(*) FILTER (WHERE status = 'error') AS err, sum(input_tokens) AS itok,
                        sum(output_tokens) AS otok, sum(cost_usd) AS cost, max(received_at) AS rcv
                   FROM telemetry_events WHERE project_id = $1 GROUP BY ${groups}, ${n + 3}) e
          GROUP BY ${groups} ORDER BY ${groups}`,
        [projectId],
      );
      const got = await h.owner.query(
        `SELECT start, value, ${dims}, events::int, errors::int, input_tokens::int, output_tokens::int,
                cost_usd::text, latency_hist::jsonb AS latency_hist, source_updated_at
           FROM ${table} WHERE project_id = $1 AND grain = $2 AND key = 'route' ORDER BY ${groups}`,
        [projectId, grain],
      );
      expect(got.rows.length).toBeGreaterThan(0);
      expect(got.rows, `${table} ${grain}`).toEqual(want.rows);
    }
  }
}

const iso = (dates: Date[] | undefined) => (dates ?? []).map((d) => d.toISOString());

describe('aggregates with one attribute filter over the attribute tiers', () => {
  it('equal the raw-event answers with every block clean, on aligned and ragged ranges', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const src = await sourceOf(ragged, ['route', '/chat']);
    expect(src.kind).toBe('rollups');
    // start+7m … end-13m: 3 minutes, a 5-minute block, three 15-minute blocks, 1 hour, three 15-minute
    // blocks, 2 minutes.
    expect(
      [src.plan?.minutes, src.plan?.fives, src.plan?.quarters, src.plan?.hours].map((list) => list?.length),
    ).toEqual([5, 1, 6, 1]);
    const quarters = (await sourceOf(aligned, ['route', '/chat'], 15 * MIN)).plan;
    expect([quarters?.fives.length, quarters?.quarters.length, quarters?.minutes.length]).toEqual([0, 12, 0]);
    expect(src.readsEvents).toBe(true);
    expect((await sourceOf(aligned, ['route', '/chat'])).readsEvents).toBe(false);
    await expectSameAsEvents(aligned);
    await expectSameAsEvents(ragged, SOME_FILTERS);
  });

  it('hold per block exactly what the raw events hold, and overflow keys over the cap', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    await expectTierSameAsEvents();
    // `big` overflowed in the middle hour and its four 15-minute and twelve 5-minute blocks, nowhere
    // else; `long` and `k5` in one 5-minute block, its 15-minute block and its hour; `mid` in its
    // 15-minute block and its hour (120 values there), not in its 5-minute blocks (40 each); the JSON
    // null of `nul` has no row, the repeated key one value.
    const overflow = await h.owner.query<{ grain: string; start: Date; key: string }>(
      'SELECT grain, start, key FROM attribute_overflow WHERE project_id = $1 ORDER BY key, grain, start',
      [projectId],
    );
    const rowsOf = (key: string, grain: string, at: Date, n: number, step: number) =>
      Array.from(
        { length: n },
        (_, i) => `${key} ${grain} ${new Date(at.getTime() + i * step * MIN).toISOString()}`,
      );
    expect(overflow.rows.map((r) => `${r.key} ${r.grain} ${r.start.toISOString()}`)).toEqual([
      ...rowsOf('big', '15m', middleHour, 4, 15),
      `big 1h ${middleHour.toISOString()}`,
      ...Array.from(
        { length: 12 },
        (_, i) => `big 5m ${new Date(middleHour.getTime() + i * 5 * MIN).toISOString()}`,
      ),
      `k5 15m ${new Date(lastHour.getTime() + 30 * MIN).toISOString()}`,
      `k5 1h ${lastHour.toISOString()}`,
      `k5 5m ${pairBlock.toISOString()}`,
      `long 15m ${new Date(lastHour.getTime() + 15 * MIN).toISOString()}`,
      `long 1h ${lastHour.toISOString()}`,
      `long 5m ${longBlock.toISOString()}`,
      `mid 15m ${midBlock.toISOString()}`,
      `mid 1h ${start.toISOString()}`,
    ]);
    // `mid` is read from its 5-minute blocks, which hold it, in its 15-minute bucket.
    const mid = (await sourceOf(aligned, ['mid', '7'], 15 * MIN)).plan;
    expect([mid?.fives.length, mid?.quarters.length, mid?.minutes.length]).toEqual([3, 11, 0]);
    const keys = await h.owner.query<{ key: string; values: string[] }>(
      `SELECT key, array_agg(DISTINCT value ORDER BY value) AS values FROM attribute_rollups
        WHERE project_id = $1 AND key IN ('nul', 'dup', 'n', 'obj', 'flag') GROUP BY key ORDER BY key`,
      [projectId],
    );
    const dup = await h.owner.query<{ v: string }>(
      `SELECT DISTINCT event -> 'attributes' ->> 'dup' AS v FROM telemetry_events WHERE project_id = $1`,
      [projectId],
    );
    expect(keys.rows).toEqual([
      { key: 'dup', values: dup.rows.map((r) => r.v) },
      { key: 'flag', values: ['false', 'true'] },
      { key: 'n', values: ['2.50', '3'] },
      { key: 'obj', values: ['{"a" : [1, 2]}'] },
    ]);
    // Overflowed blocks are read from raw events, the others from the tier.
    const big = await sourceOf(aligned, ['big', 'v7']);
    expect(iso(big.plan?.hours)).toEqual([start.toISOString(), lastHour.toISOString()]);
    expect(big.plan?.minutes).toHaveLength(60);
    const long = await sourceOf(aligned, ['long', 'short'], 15 * MIN);
    expect(long.plan?.minutes.map((d) => d.toISOString())).toEqual(
      Array.from({ length: 5 }, (_, i) => new Date(longBlock.getTime() + i * MIN).toISOString()),
    );
    // The pair cap: the other keys and five pair keys fit, the sixth does not; it alone is read raw.
    expect(ATTRIBUTE_PAIR_CAP).toBeGreaterThan(16 + 5 * 90);
    expect(ATTRIBUTE_PAIR_CAP).toBeLessThan(6 * 90);
    const pairs = await h.owner.query<{ key: string; n: number }>(
      `SELECT key, count(DISTINCT value)::int AS n FROM attribute_rollups
        WHERE project_id = $1 AND grain = '5m' AND start = $2 AND key LIKE 'k_' GROUP BY key ORDER BY key`,
      [projectId, pairBlock],
    );
    expect(pairs.rows).toEqual(PAIR_KEYS.slice(0, 5).map((key) => ({ key, n: 90 })));
    expect(
      (await sourceOf(aligned, ['k5', '7'], 15 * MIN)).plan?.minutes.map((d) => d.toISOString()),
    ).toEqual(Array.from({ length: 5 }, (_, i) => new Date(pairBlock.getTime() + i * MIN).toISOString()));
    expect((await sourceOf(aligned, ['k0', '7'], 15 * MIN)).plan?.minutes).toEqual([]);
  });

  it('read the tier rows, never for a bucket a block does not fit, and never for a dirty block', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const overview = async (range: Range) =>
      Number((await get('/v1/analytics/overview?attr.route=/chat', range)).events);
    const series = async (interval: string) =>
      (
        (await get(`/v1/analytics/timeseries?interval=${interval}&attr.route=/chat`, aligned))
          .points as Array<{
          t: string;
          events: number;
        }>
      ).map((p) => ({ t: p.t, events: p.events }));
    const providers = async () =>
      Object.fromEntries(
        (
          (await get('/v1/analytics/breakdown?by=provider&attr.route=/chat', aligned)).rows as Array<{
            key: string;
            events: number;
          }>
        ).map((r) => [r.key, r.events]),
      );
    const truth = await overview(aligned);
    const hourly = await series('1h');
    const quarterly = await series('15m');
    const byProvider = await providers();
    // Values that exist only in the middle hour's tier rows: gpt-4o's per-model row (overview and
    // timeseries read those) and one of its full rows (a breakdown by provider reads those).
    // Whole-range and hourly reads show them, 15-minute buckets (no hour fits one) do not.
    const poke = async (table: string, n: number, grain = '1h', at = middleHour) => {
      const { rowCount } = await h.owner.query(
        `UPDATE ${table} SET events = events + $3
          WHERE ctid = (SELECT ctid FROM ${table} WHERE project_id = $1 AND grain = $4 AND start = $2
                          AND key = 'route' AND value = '/chat' AND model = 'gpt-4o' LIMIT 1)`,
        [projectId, at, n, grain],
      );
      expect(rowCount).toBe(1);
    };
    await poke('attribute_model_rollups', 1000);
    await poke('attribute_rollups', 7);
    expect(await overview(aligned)).toBe(truth + 1000);
    expect(await series('1h')).toEqual(
      hourly.map((p) => ({ ...p, events: p.events + (p.t === middleHour.toISOString() ? 1000 : 0) })),
    );
    expect(await series('15m')).toEqual(quarterly);
    expect(await providers()).toEqual({ ...byProvider, openai: (byProvider.openai ?? 0) + 7 });
    // A 15-minute block's per-model row: 15-minute buckets read it. Dirty alone (not built yet, as
    // after migration 0017), its bucket is read from its clean 5-minute rows, without raw events.
    const quarter = new Date(lastHour.getTime() + 15 * MIN);
    await poke('attribute_model_rollups', 5, '15m', quarter);
    expect(await series('15m')).toEqual(
      quarterly.map((p) => ({ ...p, events: p.events + (p.t === quarter.toISOString() ? 5 : 0) })),
    );
    await h.owner.query(
      `INSERT INTO analytics_dirty (org_id, project_id, grain, start) VALUES ($1, $2, '15m', $3)`,
      [orgId, projectId, quarter],
    );
    expect(await series('15m')).toEqual(quarterly);
    const fallback = await sourceOf(aligned, ['route', '/chat'], 15 * MIN);
    expect([fallback.plan?.fives.length, fallback.plan?.quarters.length, fallback.readsEvents]).toEqual([
      3,
      11,
      false,
    ]);
    // Marked dirty (as a late event would), the hour is read from raw events again: the truth.
    await h.owner.query(
      `INSERT INTO analytics_dirty (org_id, project_id, grain, start) VALUES ($1, $2, '1h', $3)`,
      [orgId, projectId, middleHour],
    );
    expect(await overview(aligned)).toBe(truth);
    expect(await series('1h')).toEqual(hourly);
    expect(await providers()).toEqual(byProvider);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(await overview(aligned)).toBe(truth);
    expect(await providers()).toEqual(byProvider);
    expect(iso((await sourceOf(aligned, ['route', '/chat'])).plan?.hours)).toHaveLength(3);
    expect(await series('15m')).toEqual(quarterly);
    expect((await sourceOf(aligned, ['route', '/chat'], 15 * MIN)).plan?.quarters).toHaveLength(12);
  });

  const mark = (grain: '5m' | '15m' | '1h', at: Date) => markDirty(h.owner, { orgId, projectId }, grain, at);
  /** A tier-only change: 1,000 more events on one `route=/chat` row of the 5-minute block at `five`. */
  const bumpFive = async (five: Date) => {
    const { rowCount } = await h.owner.query(
      `UPDATE attribute_rollups SET events = events + 1000
        WHERE ctid = (SELECT ctid FROM attribute_rollups WHERE project_id = $1 AND grain = '5m' AND start = $2
                        AND key = 'route' AND value = '/chat' LIMIT 1)`,
      [projectId, five],
    );
    expect(rowCount).toBe(1);
  };

  it('rebuild a 15-minute block from its clean 5-minute blocks and the raw events of its dirty ones', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const series = async () =>
      (
        (await get('/v1/analytics/timeseries?interval=15m&attr.route=/chat', aligned)).points as Array<{
          t: string;
          events: number;
        }>
      ).map((p) => ({ t: p.t, events: p.events }));
    const truth = await series();
    // A tier-only change to a row of a clean 5-minute block, then only its 15-minute block marked
    // dirty: the rebuilt block adds up the 5-minute rows (no raw events), so it carries the change.
    const quarter = new Date(middleHour.getTime() + 15 * MIN);
    const five = new Date(quarter.getTime() + 5 * MIN);
    await bumpFive(five);
    await mark('15m', quarter);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(await series()).toEqual(
      truth.map((p) => ({ ...p, events: p.events + (p.t === quarter.toISOString() ? 1000 : 0) })),
    );
    // With the 5-minute block dirty too, the 15-minute block reads that block's raw events.
    await mark('5m', five);
    await mark('15m', quarter);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(await series()).toEqual(truth);
    await expectTierSameAsEvents();
  });

  it('rebuild an hour from its clean 5-minute blocks and the raw events of its dirty ones', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const truth = Number((await get('/v1/analytics/overview?attr.route=/chat', aligned)).events);
    // A tier-only change to a clean 5-minute block of the middle hour, then only the hour marked dirty:
    // the rebuilt hour adds up that block's rows (it does not rescan its events), so it carries the change.
    const five = new Date(middleHour.getTime() + 20 * MIN);
    await bumpFive(five);
    await mark('1h', middleHour);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(Number((await get('/v1/analytics/overview?attr.route=/chat', aligned)).events)).toBe(truth + 1000);
    // With the 5-minute block dirty too, the hour reads that block's raw events (whichever is rebuilt first).
    await mark('5m', five);
    await mark('1h', middleHour);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(Number((await get('/v1/analytics/overview?attr.route=/chat', aligned)).events)).toBe(truth);
    await expectTierSameAsEvents();
  });

  it('show a late event in an already refreshed hour at once, before and after the refresher', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    const late = new Date(lastHour.getTime() + 31 * MIN);
    await seedProject(
      h.system,
      { orgId, projectId, keyId: randomUUID(), from: late, spanMs: 30_000, count: 10, idPrefix: 'late-' },
      new Date(late.getTime() + MIN),
    );
    const src = await sourceOf(aligned, ['route', '/chat']);
    expect(iso(src.plan?.hours)).not.toContain(lastHour.toISOString());
    expect(src.readsEvents).toBe(true);
    await expectSameAsEvents(aligned, SOME_FILTERS);
    await refreshAnalyticsTiers({ pool: h.system });
    expect(iso((await sourceOf(aligned, ['route', '/chat'])).plan?.hours)).toHaveLength(3);
    await expectTierSameAsEvents();
    await expectSameAsEvents(ragged, SOME_FILTERS);
  });

  it('answer 400 query_too_broad when the raw-event edges outlast the scan budget, as raw reads do', async () => {
    await refreshAnalyticsTiers({ pool: h.system });
    await withOrg(h.deps.db, orgId, async (client) => {
      const src = await sourceFor(
        client,
        orgId,
        [projectId],
        ragged,
        { attrs: [['route', '/chat']] },
        {
          budget: { deadline: Date.now() - 1 },
        },
      );
      await expect(aggregate(client, src, wholeRange)).rejects.toMatchObject({ code: 'query_too_broad' });
    });
  });
});
