// The SQL histogram functions agree with latency-histogram.ts: same buckets, same merge, same quantiles.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { bucketIndex, GAMMA, histogramOf, histogramQuantile, mergeHistograms } from './latency-histogram.ts';

let app: pg.Pool;

beforeAll(() => {
  app = createPool(inject('appDatabaseUrl'), { max: 1 });
});
afterAll(async () => {
  await app?.end();
});

describe('SQL latency histogram functions', () => {
  it('bucket values like the TypeScript module', async () => {
    const values = [0, 0.001, 0.0011, 0.5, 1, 1.0202, 3.7, 99.9, 812.5, 12_345.678, 86_400_000, 5e9];
    for (let i = 0; i < 300; i++) values.push(Math.exp(Math.random() * 18 - 4));
    const { rows } = await app.query<{ b: number }>(
      'SELECT llmo_latency_bucket(v) AS b FROM unnest($1::float8[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
      [values],
    );
    // PostgreSQL's ln() and V8's Math.log may differ in the last bit, which can only matter for a value
    // sitting on a bucket boundary: then the neighbouring bucket is as accurate (error ≤ α either way).
    const onBoundary = (v: number) => {
      const x = Math.log(v) / Math.log(GAMMA);
      return Math.abs(x - Math.round(x)) < 1e-9;
    };
    const mismatches = values
      .map((v, i) => ({ v, sql: rows[i]?.b ?? Number.NaN, ts: bucketIndex(v) }))
      .filter((m) => m.sql !== m.ts && !(Math.abs(m.sql - m.ts) === 1 && onBoundary(m.v)));
    expect(mismatches).toEqual([]);
  });

  it('keep NULL for no latency and are inlined into the calling query (no call per row)', async () => {
    const { rows } = await app.query<{ b: number | null; v: number | null }>(
      'SELECT llmo_latency_bucket(NULL) AS b, llmo_latency_bucket_value(NULL) AS v',
    );
    expect(rows[0]).toEqual({ b: null, v: null });
    // An inlined function leaves its body in the plan; a called one leaves its name.
    const { rows: plan } = await app.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (VERBOSE, COSTS OFF)
       SELECT llmo_latency_bucket(v), llmo_latency_bucket_value(i) FROM unnest($1::float8[], $2::int[]) AS u(v, i)`,
      [
        [1, 2],
        [3, 4],
      ],
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('ln(');
    expect(text).not.toMatch(/llmo_latency_bucket(_value)?\(/);
  });

  it('merge and quantiles match, and the SQL aggregate sums any rows', async () => {
    const a = histogramOf(Array.from({ length: 500 }, (_, i) => 10 + i * 3.3));
    const b = histogramOf(Array.from({ length: 300 }, (_, i) => 2000 + i * 17));
    const merged = mergeHistograms(a, b);
    const { rows } = await app.query<{
      m: Record<string, number>;
      s: Record<string, number>;
      p50: number;
      p95: number;
      p99: number;
    }>(
      `SELECT llmo_hist_merge($1::jsonb, $2::jsonb) AS m, s,
              llmo_hist_quantile(s, 0.5) AS p50, llmo_hist_quantile(s, 0.95) AS p95, llmo_hist_quantile(s, 0.99) AS p99
         FROM (SELECT llmo_hist_sum(h) AS s FROM unnest(ARRAY[$1::jsonb, $2::jsonb, '{}'::jsonb]) AS h) t`,
      [JSON.stringify(a), JSON.stringify(b)],
    );
    const r = rows[0];
    expect(r?.m).toEqual(merged);
    expect(r?.s).toEqual(merged);
    // Overlapping buckets add up; NULL counts as empty, either side.
    const c = histogramOf(Array.from({ length: 400 }, (_, i) => 500 + i * 9));
    const { rows: more } = await app.query(
      `SELECT llmo_hist_merge($1::jsonb, $2::jsonb) AS ac, llmo_hist_merge($2::jsonb, $1::jsonb) AS ca,
              llmo_hist_merge(NULL, $2::jsonb) AS nc, llmo_hist_merge($2::jsonb, NULL) AS cn,
              llmo_hist_merge(NULL, NULL) AS nn, llmo_hist_merge('{}', '{}') AS ee`,
      [JSON.stringify(merged), JSON.stringify(c)],
    );
    expect(Object.keys(c).some((k) => k in merged)).toBe(true);
    expect(more[0]).toEqual({
      ac: mergeHistograms(merged, c),
      ca: mergeHistograms(merged, c),
      nc: c,
      cn: c,
      nn: {},
      ee: {},
    });
    for (const [q, got] of [
      [0.5, r?.p50],
      [0.95, r?.p95],
      [0.99, r?.p99],
    ] as const) {
      expect(got).toBeCloseTo(histogramQuantile(merged, q) ?? Number.NaN, 9);
    }
    const { rows: empty } = await app.query("SELECT llmo_hist_quantile('{}'::jsonb, 0.5) AS q");
    expect(empty[0]?.q).toBeNull();
  });

  it('runs the documented rollup queries (regional/loader/README.md)', async () => {
    const org = '00000000-0000-4000-8000-000000000001';
    const args = [org, '00000000-0000-4000-8000-000000000002', new Date(Date.now() - 3600_000), new Date()];
    const client = await app.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('app.org_id', $1, true)", [org]);
      await client.query(
        `SELECT llmo_hist_quantile(h, 0.50) AS p50, llmo_hist_quantile(h, 0.95) AS p95, llmo_hist_quantile(h, 0.99) AS p99
         FROM (SELECT llmo_hist_sum(latency_hist) AS h FROM event_rollups_1m
               WHERE org_id = $1 AND project_id = $2 AND minute >= $3 AND minute < $4) t`,
        args,
      );
      await client.query(
        `SELECT date_bin($5::interval, minute, timestamptz '1970-01-01Z') AS t, sum(events) AS events,
                llmo_hist_quantile(llmo_hist_sum(latency_hist), 0.95) AS p95
         FROM event_rollups_1m WHERE org_id = $1 AND project_id = $2 AND minute >= $3 AND minute < $4 GROUP BY 1 ORDER BY 1`,
        [...args, '5 minutes'],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
});
