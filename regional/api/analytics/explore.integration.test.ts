// Event detail, trace view, dimension filters and dropdown values against seeded telemetry in real PostgreSQL.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LatencyHistogram } from '../../rollups/latency-histogram.ts';
import { percentiles } from '../../rollups/minutes.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { seedProject } from '../testing/seed-telemetry.ts';

let h: Harness;
let orgId: string;
let projectId: string;
let token: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const start = new Date(end.getTime() - 2 * HOUR);
const range = `from=${start.toISOString()}&to=${end.toISOString()}`;
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

beforeAll(async () => {
  h = await startHarness();
  ({ orgId, projectId } = await h.org());
  await seedProject(
    h.system,
    {
      orgId,
      projectId,
      keyId: randomUUID(),
      from: start,
      spanMs: 2 * HOUR,
      count: 940,
    },
    end,
  );
  token = await h.token(orgId, 'member');
});
afterAll(() => h.close());

async function count(where: string, params: unknown[] = []): Promise<number> {
  const { rows } = await h.owner.query(
    `SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND ${where}`,
    [projectId, ...params],
  );
  return rows[0].n;
}

/** Every event id of the explorer over all pages for a filter query string. */
async function explore(filter: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const res = await h.call(
      'GET',
      `/v1/analytics/events?project_id=${projectId}&${range}&limit=200&${filter}${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    );
    expect(res.status).toBe(200);
    out.push(...(res.body.items as Array<Record<string, unknown>>));
    cursor = res.body.next_cursor as string | null;
  } while (cursor);
  return out;
}

describe('event detail', () => {
  it('answers one event with every field it was sent with, by id (with or without project_id)', async () => {
    const res = await h.call('GET', `/v1/analytics/events/ev-47?project_id=${projectId}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      event_id: 'ev-47',
      project_id: projectId,
      status: 'error',
      error: { type: 'timeout', message: 'synthetic' },
      trace_id: md5('ev-9'),
      session_id: 'ev-s2',
      user_id: `user-${(47 * 7919) % 200}`,
      attributes: { route: '/summarize', retry: false },
    });
    for (const field of ['time_to_first_token_ms', 'span_id', 'environment', 'received_at', 'usage']) {
      expect(res.body).toHaveProperty(field);
    }
    const anyProject = await h.call('GET', '/v1/analytics/events/ev-47', { token });
    expect(anyProject.body).toEqual(res.body);
  });

  it('404s for unknown and malformed ids', async () => {
    for (const id of ['ev-999999', 'bad%20id', 'x'.repeat(65)]) {
      const res = await h.call('GET', `/v1/analytics/events/${id}?project_id=${projectId}`, { token });
      expect(res.status).toBe(404);
      expect(res.body.error?.code).toBe('not_found');
    }
  });
});

describe('trace', () => {
  it('lists the trace’s events by start with totals', async () => {
    const res = await h.call(
      'GET',
      `/v1/analytics/traces/${md5('ev-9').toUpperCase()}?project_id=${projectId}`,
      {
        token,
      },
    );
    expect(res.status).toBe(200);
    const items = res.body.items as Array<Record<string, unknown>>;
    expect(items.map((i) => i.event_id)).toEqual(['ev-45', 'ev-46', 'ev-47', 'ev-48', 'ev-49']);
    expect(res.body).toMatchObject({ trace_id: md5('ev-9'), truncated: false });
    expect(res.body.totals).toMatchObject({ events: 5, errors: 1 });
    expect(Date.parse(String(res.body.ended_at))).toBeGreaterThan(Date.parse(String(res.body.started_at)));
    const capped = await h.call('GET', `/v1/analytics/traces/${md5('ev-9')}?limit=2`, { token });
    expect((capped.body.items as unknown[]).length).toBe(2);
    expect(capped.body).toMatchObject({ truncated: true, totals: { events: 5 } });
  });

  it('404s for a trace with no events and for malformed ids', async () => {
    for (const id of [md5('nope'), 'xyz']) {
      expect((await h.call('GET', `/v1/analytics/traces/${id}`, { token })).status).toBe(404);
    }
  });
});

describe('filters', () => {
  it('the explorer filters on every dimension, ignoring case where values are names', async () => {
    const cases: Array<[string, string, unknown[]]> = [
      ['provider=OpenAI', "provider = 'openai'", []],
      ['model=GPT-4O&status=OK', "model = 'gpt-4o' AND status = 'ok'", []],
      ['environment=Staging', "environment = 'staging'", []],
      ['operation=chat', "operation = 'chat'", []],
      ['user_id=user-7', 'user_id = $2', ['user-7']],
      ['session_id=ev-s3', 'session_id = $2', ['ev-s3']],
      [`trace_id=${md5('ev-9')}`, 'trace_id = $2', [md5('ev-9')]],
      ['error_type=RATE_LIMIT', "error_type = 'rate_limit'", []],
      ['attr.route=/chat', "event->'attributes'->>'route' = '/chat'", []],
      [
        'attr.retry=true&provider=anthropic',
        "event->'attributes'->>'retry' = 'true' AND provider = 'anthropic'",
        [],
      ],
    ];
    for (const [query, where, params] of cases) {
      const items = await explore(query);
      const expected = await count(where, params);
      expect(expected, query).toBeGreaterThan(0);
      expect(items.length, query).toBe(expected);
    }
  });

  it('answers 400 invalid_filter for malformed filters', async () => {
    for (const q of ['status=maybe', 'trace_id=xyz', 'attr.a%20b=1', `model=${'m'.repeat(300)}`]) {
      const res = await h.call('GET', `/v1/analytics/events?${range}&${q}`, { token });
      expect(res.status, q).toBe(400);
      expect(res.body.error?.code).toBe('invalid_filter');
    }
  });
});

describe('values', () => {
  it('lists known values of a dimension by prefix, ignoring case, most frequent first', async () => {
    const res = await h.call(
      'GET',
      `/v1/analytics/values?project_id=${projectId}&${range}&dimension=model&prefix=CLA`,
      {
        token,
      },
    );
    expect(res.status).toBe(200);
    expect((res.body.values as Array<{ value: string }>).map((v) => v.value).sort()).toEqual([
      'claude-3-5-haiku',
      'claude-sonnet-4',
    ]);
    const errors = await h.call('GET', `/v1/analytics/values?${range}&dimension=error_type`, { token });
    const got = errors.body.values as Array<{ value: string; events: number }>;
    expect(got.map((v) => v.value).sort()).toEqual(['RateLimitError', 'rate_limit', 'timeout']);
    expect(got.reduce((n, v) => n + v.events, 0)).toBe(await count("status = 'error'"));
    const bad = await h.call('GET', `/v1/analytics/values?${range}&dimension=password`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('invalid_dimension');
  });
});

describe('users and sessions', () => {
  it('users equal the raw per-user aggregates over whole hours, sorted, paginated without gaps', async () => {
    const expected = (
      await h.owner.query(
        `SELECT user_id AS id, count(*)::int AS events, count(*) FILTER (WHERE status = 'error')::int AS errors,
                sum(input_tokens)::int AS input_tokens, sum(output_tokens)::int AS output_tokens,
                min(ts) AS first_seen, max(ts) AS last_seen
           FROM telemetry_events WHERE project_id = $1 GROUP BY 1`,
        [projectId],
      )
    ).rows as Array<{ id: string; events: number; errors: number; first_seen: Date; last_seen: Date }>;
    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.call(
        'GET',
        `/v1/analytics/users?project_id=${projectId}&${range}&sort=events&limit=30${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kind: 'user', sort: 'events', from: start.toISOString() });
      seen.push(...(res.body.items as Array<Record<string, unknown>>));
      cursor = res.body.next_cursor as string | null;
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(1);
    expect(seen.length).toBe(expected.length);
    const events = seen.map((r) => Number(r.events));
    expect(events).toEqual([...events].sort((x, y) => y - x));
    for (const e of expected) {
      const got = seen.find((r) => r.id === e.id);
      expect(got, e.id).toMatchObject({
        events: e.events,
        errors: e.errors,
        first_seen: e.first_seen.toISOString(),
        last_seen: e.last_seen.toISOString(),
      });
      expect(typeof got?.p95).toBe('number');
    }
    // Every sort pages through every user once, in its order (cursors carry the exact value).
    for (const sort of ['cost_usd', 'last_seen', 'tokens', 'errors']) {
      const ids: string[] = [];
      let next: string | null = null;
      do {
        const res = await h.call(
          'GET',
          `/v1/analytics/users?project_id=${projectId}&${range}&sort=${sort}&limit=30${next ? `&cursor=${next}` : ''}`,
          { token },
        );
        expect(res.status).toBe(200);
        ids.push(...(res.body.items as Array<{ id: string }>).map((r) => r.id));
        next = res.body.next_cursor as string | null;
      } while (next && ids.length <= expected.length);
      expect(ids.length, sort).toBe(expected.length);
      expect(new Set(ids).size, sort).toBe(expected.length);
    }
    const wrong = await h.call(
      'GET',
      `/v1/analytics/users?project_id=${projectId}&${range}&sort=last_seen&cursor=${Buffer.from(JSON.stringify({ v: '12', a: 'x' })).toString('base64url')}`,
      { token },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.code).toBe('invalid_cursor');
  });

  it('sessions sort by cost and by last seen; bad sort and cursor are named 400s', async () => {
    const byCost = await h.call('GET', `/v1/analytics/sessions?${range}&sort=cost_usd&limit=5`, { token });
    expect(byCost.status).toBe(200);
    const costs = (byCost.body.items as Array<{ cost_usd: number }>).map((r) => r.cost_usd);
    expect(costs).toEqual([...costs].sort((x, y) => y - x));
    const [top] = (
      await h.owner.query(
        'SELECT session_id, sum(cost_usd)::float8 AS c FROM telemetry_events WHERE project_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1',
        [projectId],
      )
    ).rows;
    expect((byCost.body.items as Array<{ id: string }>)[0]?.id).toBe(top.session_id);
    const recent = await h.call('GET', `/v1/analytics/sessions?${range}&sort=last_seen&limit=1`, { token });
    expect((recent.body.items as Array<{ id: string }>)[0]?.id).toBe('ev-s46');
    for (const [q, code] of [
      ['sort=p99', 'invalid_sort'],
      ['cursor=abc', 'invalid_cursor'],
    ]) {
      const res = await h.call('GET', `/v1/analytics/sessions?${range}&${q}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe(code);
    }
  });

  it('actors across the range edges count only their hours in range; all projects sum an id', async () => {
    // Six hours of events in two projects sharing user ids; the list asks for hours 2–4 only, a past
    // range, so users (spread over all six hours) and sessions crossing hour 2 or 4 straddle its edges
    // while most sessions lie inside it.
    const org = await h.org();
    const { rows } = await h.owner.query('INSERT INTO projects (org_id, name) VALUES ($1, $2) RETURNING id', [
      org.orgId,
      'second',
    ]);
    const second = rows[0].id as string;
    const t0 = new Date(end.getTime() - 6 * HOUR);
    const projects: Array<[string, string]> = [
      [org.projectId, 'a-'],
      [second, 'b-'],
    ];
    for (const [projectId, idPrefix] of projects) {
      await seedProject(h.system, {
        orgId: org.orgId,
        projectId,
        keyId: randomUUID(),
        from: t0,
        spanMs: 6 * HOUR,
        count: 730,
        idPrefix,
        users: 40,
      });
    }
    const from = new Date(t0.getTime() + 2 * HOUR);
    const to = new Date(t0.getTime() + 4 * HOUR);
    // An actor seen before and after the range but not in it: listed nowhere.
    const gap = await h.system.query(
      `INSERT INTO telemetry_events (project_id, ts, event_id, org_id, key_id, received_at, operation, provider, model,
                                     status, environment, duration_ms, input_tokens, output_tokens, cost_usd,
                                     trace_id, user_id, session_id, error_type, event)
       SELECT project_id, g.at, 'gap-' || g.n, org_id, key_id, g.at, operation, provider, model, status,
              environment, duration_ms, input_tokens, output_tokens, cost_usd, trace_id, 'gap-user', 'gap-session',
              error_type, event
         FROM telemetry_events e
        CROSS JOIN (VALUES (1, $2::timestamptz - interval '30 minutes'), (2, $3::timestamptz + interval '30 minutes')) g(n, at)
        WHERE e.project_id = $1 AND e.event_id = 'a-0'`,
      [org.projectId, from, to],
    );
    expect(gap.rowCount).toBe(2);
    const orgToken = await h.token(org.orgId, 'member');
    for (const [kind, column] of [
      ['users', 'user_id'],
      ['sessions', 'session_id'],
    ]) {
      for (const scope of [`project_id=${org.projectId}&`, '']) {
        const expected = (
          await h.owner.query(
            `SELECT ${column} AS id, count(*)::int AS events, sum(cost_usd)::float8 AS cost_usd,
                    min(ts) AS first_seen, max(ts) AS last_seen
               FROM telemetry_events
              WHERE org_id = $1 AND ($2::uuid IS NULL OR project_id = $2) AND ts >= $3 AND ts < $4
              GROUP BY 1 ORDER BY 2 DESC, 1 DESC`,
            [org.orgId, scope ? org.projectId : null, from, to],
          )
        ).rows as Array<{ id: string; events: number; cost_usd: number; first_seen: Date; last_seen: Date }>;
        const res = await h.call(
          'GET',
          `/v1/analytics/${kind}?${scope}from=${from.toISOString()}&to=${to.toISOString()}&limit=200`,
          { token: orgToken },
        );
        expect(res.status).toBe(200);
        const items = res.body.items as Array<{
          id: string;
          events: number;
          cost_usd: number;
          first_seen: string;
          last_seen: string;
        }>;
        expect(items.map((r) => [r.id, r.events, r.first_seen, r.last_seen])).toEqual(
          expected.map((e) => [e.id, e.events, e.first_seen.toISOString(), e.last_seen.toISOString()]),
        );
        for (const [i, e] of expected.entries()) expect(items[i]?.cost_usd).toBeCloseTo(e.cost_usd, 5);
      }
    }
    // The data really has both shapes: sessions inside the range and sessions across its edges.
    const { rows: shapes } = await h.owner.query(
      `SELECT count(*) FILTER (WHERE f >= $2 AND l < $3)::int AS inside,
              count(*) FILTER (WHERE f < $2 OR l >= $3)::int AS across
         FROM (SELECT min(ts) AS f, max(ts) AS l FROM telemetry_events WHERE project_id = $1 GROUP BY session_id) s
        WHERE l >= $2 AND f < $3`,
      [org.projectId, from, to],
    );
    expect(shapes[0].inside).toBeGreaterThan(3);
    expect(shapes[0].across).toBeGreaterThan(0);
  });

  it('users over days: whole UTC days from daily rows, ragged hours from hourly rows, equal to the events', async () => {
    // Five days of events of 30 users ending 7 h into a past day D; ranges with ragged hours at both ends
    // (every user straddles both edges), of whole days only, and of less than a day across midnight.
    const org = await h.org();
    const d = Math.floor(Date.now() / DAY) * DAY - DAY;
    const t0 = new Date(d - 4 * DAY + 5 * HOUR);
    await seedProject(h.system, {
      orgId: org.orgId,
      projectId: org.projectId,
      keyId: randomUUID(),
      from: t0,
      spanMs: 4 * DAY + 2 * HOUR,
      count: 2400,
      users: 30,
    });
    const orgToken = await h.token(org.orgId, 'member');
    const list = async (kind: string, from: number, to: number, scope = `project_id=${org.projectId}&`) => {
      const res = await h.call(
        'GET',
        `/v1/analytics/${kind}?${scope}from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&limit=200`,
        { token: orgToken },
      );
      expect(res.status).toBe(200);
      return res.body.items as Array<{
        id: string;
        events: number;
        cost_usd: number;
        p95: number | null;
        first_seen: string;
        last_seen: string;
      }>;
    };
    /** Per-actor totals of the raw events in [from, to), with p95 of their durations' buckets. */
    const raw = async (
      column: string,
      from: number,
      to: number,
      projectId: string | null = org.projectId,
    ) => {
      const { rows } = await h.owner.query(
        `SELECT id, sum(n)::int AS events, sum(cost)::float8 AS cost_usd, min(f) AS first_seen, max(l) AS last_seen,
                jsonb_object_agg(b, n) FILTER (WHERE b IS NOT NULL) AS hist
           FROM (SELECT ${column} AS id, llmo_latency_bucket(duration_ms) AS b, count(*) AS n, sum(cost_usd) AS cost,
                        min(ts) AS f, max(ts) AS l
                   FROM telemetry_events
                  WHERE org_id = $1 AND ($2::uuid IS NULL OR project_id = $2) AND ts >= $3 AND ts < $4
                  GROUP BY 1, 2) per_bucket
          GROUP BY 1 ORDER BY 2 DESC, 1 DESC`,
        [org.orgId, projectId, new Date(from), new Date(to)],
      );
      return rows as Array<{
        id: string;
        events: number;
        cost_usd: number;
        first_seen: Date;
        last_seen: Date;
        hist: LatencyHistogram;
      }>;
    };
    /** A list equals its raw reference: ids in order, events, first/last seen, p95 and cost. */
    const expectSame = (
      items: Awaited<ReturnType<typeof list>>,
      expected: Awaited<ReturnType<typeof raw>>,
      label: string,
    ) => {
      expect(
        items.map((r) => [r.id, r.events, r.first_seen, r.last_seen, r.p95]),
        label,
      ).toEqual(
        expected.map((e) => [
          e.id,
          e.events,
          e.first_seen.toISOString(),
          e.last_seen.toISOString(),
          percentiles(e.hist).p95,
        ]),
      );
      for (const [i, e] of expected.entries()) expect(items[i]?.cost_usd, label).toBeCloseTo(e.cost_usd, 5);
    };
    const ranges: Array<[string, number, number]> = [
      ['ragged both ends', d - 3 * DAY + 3 * HOUR, d + 4 * HOUR],
      // Ends an hour before the last events: users with none after `to` read day D from its daily row.
      ['ragged, last day partly after', d - 3 * DAY + 3 * HOUR, d + 6 * HOUR],
      ['whole days', d - 3 * DAY, d],
      ['under a day', d - 10 * HOUR, d + 4 * HOUR],
    ];
    for (const [name, from, to] of ranges) {
      for (const [kind, column] of [
        ['users', 'user_id'],
        ['sessions', 'session_id'],
      ] as const) {
        const expected = await raw(column, from, to);
        const items = await list(kind, from, to);
        expect(items.length, `${name} ${kind}`).toBe(expected.length);
        expectSame(items, expected, `${name} ${kind}`);
      }
    }
    // Every user has events before and after the ragged range, so all of them straddle both edges.
    const [wide] = await raw('user_id', t0.getTime(), d + 7 * HOUR);
    expect(wide?.first_seen.getTime()).toBeLessThan(d - 3 * DAY + 3 * HOUR);
    expect(wide?.last_seen.getTime()).toBeGreaterThanOrEqual(d + 4 * HOUR);
    // Ending at D + 6 h, some users have events after the range and some do not: both kinds were checked.
    const late = await raw('user_id', d + 6 * HOUR, d + 7 * HOUR);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(30);

    // The lists read the daily rows: a change to one user's day shows in ranges holding that whole day,
    // not in one holding only some of its hours.
    const [top] = await list('users', d - 3 * DAY + 3 * HOUR, d + 4 * HOUR);
    const changed = await h.owner.query(
      `UPDATE actor_rollups_1d SET events = events + 1000, latency_hist = '{"1000": 1000000}'
        WHERE project_id = $1 AND kind = 'user' AND actor = $2 AND day = $3`,
      [org.projectId, top?.id, new Date(d - DAY)],
    );
    expect(changed.rowCount).toBe(1);
    const after = (await list('users', d - 3 * DAY + 3 * HOUR, d + 4 * HOUR))[0];
    expect(after).toMatchObject({ id: top?.id, events: (top?.events ?? 0) + 1000 });
    expect(after?.p95).toBe(percentiles({ '1000': 1 }).p95);
    const part = (await list('users', d - DAY + HOUR, d + 4 * HOUR)).find((r) => r.id === top?.id);
    const partRaw = (await raw('user_id', d - DAY + HOUR, d + 4 * HOUR)).find((r) => r.id === top?.id);
    expect(part?.events).toBe(partRaw?.events);
    await h.owner.query(
      `UPDATE actor_rollups_1d SET events = events - 1000, latency_hist = h.hist
         FROM (SELECT llmo_hist_sum(latency_hist) AS hist FROM actor_rollups_1h
                WHERE project_id = $1 AND kind = 'user' AND actor = $2 AND hour >= $3 AND hour < $3::timestamptz + interval '1 day') h
        WHERE project_id = $1 AND kind = 'user' AND actor = $2 AND day = $3`,
      [org.projectId, top?.id, new Date(d - DAY)],
    );

    // Ending at D + 6 h, the users with no later event read day D from its daily row; the others its hours.
    const quiet = (await raw('user_id', d, d + 6 * HOUR)).find((r) => !late.some((l) => l.id === r.id));
    const busy = late[0];
    const bump = (actor: string | undefined, n: number) =>
      h.owner.query(
        `UPDATE actor_rollups_1d SET events = events + $4
          WHERE project_id = $1 AND kind = 'user' AND actor = $2 AND day = $3`,
        [org.projectId, actor, new Date(d), n],
      );
    await bump(quiet?.id, 1000);
    await bump(busy?.id, 1000);
    const tail = await list('users', d - 3 * DAY + 3 * HOUR, d + 6 * HOUR);
    const tailRaw = await raw('user_id', d - 3 * DAY + 3 * HOUR, d + 6 * HOUR);
    const eventsOf = (rows: Array<{ id: string; events: number }>, id?: string) =>
      rows.find((r) => r.id === id)?.events;
    expect(eventsOf(tail, quiet?.id)).toBe((eventsOf(tailRaw, quiet?.id) ?? 0) + 1000);
    expect(eventsOf(tail, busy?.id)).toBe(eventsOf(tailRaw, busy?.id));
    await bump(quiet?.id, -1000);
    await bump(busy?.id, -1000);

    // Most users inside the range (70 new ones, seen for two hours), the 30 older ones across its edges:
    // the list takes the span rows of those inside and probes the others instead of reading every user's
    // rows set-wise (which it does when most straddle, as above); equal to the events either way.
    await seedProject(h.system, {
      orgId: org.orgId,
      projectId: org.projectId,
      keyId: randomUUID(),
      from: new Date(d - 2 * DAY),
      spanMs: 2 * HOUR,
      count: 700,
      idPrefix: 'c-',
      users: 100,
    });
    {
      const [from, to] = [d - 3 * DAY + 3 * HOUR, d + 4 * HOUR];
      const expected = await raw('user_id', from, to);
      const outside = new Set(
        [...(await raw('user_id', t0.getTime(), from)), ...(await raw('user_id', to, d + DAY))].map(
          (r) => r.id,
        ),
      );
      expect(expected).toHaveLength(100);
      expect(expected.filter((e) => outside.has(e.id)).length).toBe(30);
      expectSame(await list('users', from, to), expected, 'mostly inside');
    }

    // All projects: a second project with the same user ids; each user's days and hours of both are summed.
    const { rows: second } = await h.owner.query(
      'INSERT INTO projects (org_id, name) VALUES ($1, $2) RETURNING id',
      [org.orgId, 'second'],
    );
    await seedProject(h.system, {
      orgId: org.orgId,
      projectId: second[0].id,
      keyId: randomUUID(),
      from: t0,
      spanMs: 4 * DAY + 2 * HOUR,
      count: 700,
      idPrefix: 'b-',
      users: 30,
    });
    const [from, to] = [d - 3 * DAY + 3 * HOUR, d + 4 * HOUR];
    expectSame(await list('users', from, to, ''), await raw('user_id', from, to, null), 'all projects');
  });

  it('offers user and session ids as values by prefix', async () => {
    const res = await h.call(
      'GET',
      `/v1/analytics/values?${range}&dimension=user_id&prefix=user-19&limit=200`,
      {
        token,
      },
    );
    expect(res.status).toBe(200);
    const values = (res.body.values as Array<{ value: string }>).map((v) => v.value);
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => v.startsWith('user-19'))).toBe(true);
  });
});
