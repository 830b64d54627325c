// Users and sessions pages: per actor totals, p95 and first/last seen over whole hours, sortable and paginated.
import type pg from 'pg';
import * as v from 'valibot';
import { withOrg } from '../../db/tenant.ts';
import { addHistogramTexts, type LatencyHistogram } from '../../rollups/latency-histogram.ts';
import { type Counters, counters, percentiles } from '../../rollups/minutes.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { BadRequestError } from '../errors.ts';
import { cursorParam, encodeCursor, enumParam, limitParam, parseQuery, type QueryDecl } from '../query.ts';
import { DEFAULT_MAX_RANGE_DAYS, RANGE_QUERY, resolveRange } from './params.ts';
import { projectScope } from './scope.ts';

/** One user or session over the range. */
export type ActorRow = Counters & {
  id: string;
  error_rate: number;
  p95: number | null;
  first_seen: string;
  last_seen: string;
};

/** Users / sessions answer. `from`/`to` are the whole UTC hours actually read. */
export type ActorPage = {
  kind: 'user' | 'session';
  from: string;
  to: string;
  sort: Sort;
  items: ActorRow[];
  next_cursor: string | null;
};

/**
 * Sort keys (descending): the expression over an actor's totals and its SQL type. Fixed SQL, never from
 * input. Rows are ordered by the value itself (no per-row cast: a sort walks every active actor).
 */
const SORTS = {
  events: { expr: 'events', type: 'bigint' },
  errors: { expr: 'errors', type: 'bigint' },
  cost_usd: { expr: 'cost_usd', type: 'numeric' },
  tokens: { expr: 'input_tokens + output_tokens', type: 'bigint' },
  last_seen: { expr: 'last_seen', type: 'timestamptz' },
} as const;
type Sort = keyof typeof SORTS;

// Position after the last row: its sort value as PostgreSQL prints it (exact for numeric sums and
// timestamps, unlike a float) and its actor id (ties broken by id).
const CursorSchema = v.strictObject({
  v: v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[0-9 :.+-]+$/)),
  a: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
});

/** Query parameters of the users and sessions routes. */
export const ACTORS_QUERY = {
  ...RANGE_QUERY,
  sort: enumParam(Object.keys(SORTS) as [Sort, ...Sort[]], 'invalid_sort'),
  limit: limitParam(50, 200),
  cursor: cursorParam(CursorSchema),
} satisfies QueryDecl;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Counters and first/last seen of one actor (in one project, or summed over several). */
const TOTALS = ['events', 'errors', 'input_tokens', 'output_tokens', 'cost_usd', 'first_seen', 'last_seen'];

/**
 * Placeholders of the whole UTC days [from, to) a statement reads daily rows for (null: hours only);
 * `dayTotalsSql` also takes `end`, the end of the UTC day holding the range's end (its last, partial day).
 */
type DayParams = { from: string; to: string };

/** The sums of TOTALS over rows `x` (an actor's in one project, or summed over several). */
const SUMS = `sum(x.events)::bigint AS events, sum(x.errors)::bigint AS errors,
  sum(x.input_tokens)::bigint AS input_tokens, sum(x.output_tokens)::bigint AS output_tokens,
  sum(x.cost_usd) AS cost_usd, min(x.first_seen) AS first_seen, max(x.last_seen) AS last_seen`;

/**
 * One actor's (or the page's actors') rows covering [$4, $5), as `cols` of alias `r` where `match` holds:
 * with `days`, the daily rows of the whole UTC days [days.from, days.to) and the hourly rows of the ragged
 * hours before and after them (a user over 7 days: 7 + up to 46 rows instead of 168); without, the
 * hourly rows of the range. Both kinds of row carry the same counters, histogram and first/last seen.
 */
function rangeRows(cols: string, match: string, days: DayParams | null): string {
  const arm = (table: string, at: string, lo: string, hi: string) =>
    `SELECT ${cols} FROM ${table} r WHERE ${match} AND r.${at} >= ${lo} AND r.${at} < ${hi}`;
  if (!days) return arm('actor_rollups_1h', 'hour', '$4', '$5');
  return [
    arm('actor_rollups_1h', 'hour', '$4', days.from),
    arm('actor_rollups_1d', 'day', days.from, days.to),
    arm('actor_rollups_1h', 'hour', days.to, '$5'),
  ].join('\n UNION ALL ');
}

/**
 * Every actor active in [$4, $5) with its totals over that range, as `actor` plus TOTALS, from the
 * `actor_spans` rows active since `from`, in two arms: an actor whose events all lie inside the range
 * takes its span row as is (its lifetime totals, no aggregation); one that straddles an edge (events
 * before `from`, or after `to` for a past range) is summed from its rows in range (`rangeRows`) by an
 * index-only probe of its own days and hours. Splitting the arms keeps the probe's per-row executor work
 * off the many actors inside (half the time of one walk with a conditional probe, on 71,627 sessions of
 * the 10M-event benchmark). An actor seen before and after the range but not in it has no rows there and
 * is left out. Over several projects an actor's rows are summed. $1 org, $2 projects, $3 kind, $4 from,
 * $5 to (whole hours), `days` as `rangeRows`.
 */
function totalsSql(multiProject: boolean, days: DayParams | null): string {
  const active = 's.org_id = $1 AND s.project_id = ANY($2::uuid[]) AND s.kind = $3 AND s.last_seen >= $4';
  const rows = `
    SELECT s.actor, ${TOTALS.map((c) => `s.${c}`).join(', ')}
      FROM actor_spans s
     WHERE ${active} AND s.last_seen < $5 AND s.first_seen >= $4
    UNION ALL
    SELECT s.actor, ${TOTALS.map((c) => `e.${c}`).join(', ')}
      FROM actor_spans s
      CROSS JOIN LATERAL (
        SELECT ${SUMS}
          FROM (${rangeRows(
            TOTALS.map((c) => `r.${c}`).join(', '),
            'r.org_id = $1 AND r.project_id = s.project_id AND r.kind = $3 AND r.actor = s.actor',
            days,
          )}) x
        HAVING count(*) > 0
      ) e
     WHERE ${active} AND s.first_seen < $5 AND (s.first_seen < $4 OR s.last_seen >= $5)`;
  return multiProject ? `SELECT x.actor, ${SUMS} FROM (${rows}) x GROUP BY x.actor` : rows;
}

/**
 * Every user active in [$4, $5) with its totals, for a range holding whole UTC days [days.from, days.to):
 * the rows of the range read set-wise from the time-ordered indexes (`actor_rollups_1h_list_idx`,
 * `actor_rollups_1d_list_idx`) and summed per user, instead of index probes per user. Every user's rows
 * are read, inside the range or not, so it pays when most users straddle an edge. Four arms: the
 * hours from `from` to the first whole day; the whole days; the range's last, partial day (to
 * `days.end`) from its daily row for users with no event at or after `to` (every user, for a list
 * ending now); and its hours for the few with one (`late`, from `actor_spans`). On the 10M-event
 * benchmark (2,000 users, all older than a 6-day range) this is faster than the per-user probes of
 * `totalsSql` (see `mostStraddle`, which chooses). Over several projects a user's rows are summed.
 * Parameters as `totalsSql`.
 */
function dayTotalsSql(days: DayParams & { end: string }): string {
  const cols = `r.actor, ${TOTALS.map((c) => `r.${c}`).join(', ')}`;
  const scope = 'r.org_id = $1 AND r.project_id = ANY($2::uuid[]) AND r.kind = $3';
  const late = 'SELECT 1 FROM late l WHERE l.project_id = r.project_id AND l.actor = r.actor';
  return `
    WITH late AS (
      SELECT s.project_id, s.actor FROM actor_spans s
       WHERE s.org_id = $1 AND s.project_id = ANY($2::uuid[]) AND s.kind = $3 AND s.last_seen >= $5
    )
    SELECT x.actor, ${SUMS} FROM (
      SELECT ${cols} FROM actor_rollups_1h r WHERE ${scope} AND r.hour >= $4 AND r.hour < ${days.from}
      UNION ALL
      SELECT ${cols} FROM actor_rollups_1d r WHERE ${scope} AND r.day >= ${days.from} AND r.day < ${days.to}
      UNION ALL
      SELECT ${cols} FROM actor_rollups_1d r
       WHERE ${scope} AND r.day >= ${days.to} AND r.day < ${days.end} AND NOT EXISTS (${late})
      UNION ALL
      SELECT ${cols} FROM actor_rollups_1h r
       WHERE ${scope} AND r.hour >= ${days.to} AND r.hour < $5 AND EXISTS (${late})
    ) x GROUP BY x.actor`;
}

/**
 * The whole UTC days inside [from, to) that the users list reads as daily rows, with `end`, the end of
 * the UTC day holding `to` (`dayTotalsSql`'s partial last day); null when there are none or the actors are
 * sessions (which have no daily rows: hours only).
 */
function wholeDays(
  kind: 'user' | 'session',
  from: Date,
  to: Date,
): { from: Date; to: Date; end: Date } | null {
  if (kind !== 'user') return null;
  const first = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const last = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  return last > first
    ? { from: new Date(first), to: new Date(last), end: new Date(Math.ceil(to.getTime() / DAY_MS) * DAY_MS) }
    : null;
}

/**
 * Whether most users active in [from, to) also have events outside it (long-lived users straddling
 * its edges), as `actor_spans` says (one index-only row per active user). Then `dayTotalsSql` reads
 * their rows set-wise; otherwise `totalsSql` takes the span rows of the users inside as they are and
 * probes the few others. On the 10M-event benchmark (2,000 users, handler p50 over 30 calls): a 6-day
 * list, where every user straddles, 72–73 ms probed and 47–48 ms set-wise; a 7-day list, where every user
 * lies inside, 54 ms from the span rows and 79 ms set-wise (under load).
 */
async function mostStraddle(
  client: pg.ClientBase,
  orgId: string,
  projects: string[],
  from: Date,
  to: Date,
): Promise<boolean> {
  const { rows } = await client.query<{ straddle: number; active: number }>(
    `SELECT count(*) FILTER (WHERE first_seen < $3 OR last_seen >= $4)::int AS straddle, count(*)::int AS active
       FROM actor_spans
      WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND kind = 'user' AND last_seen >= $3 AND first_seen < $4`,
    [orgId, projects, from, to],
  );
  const { straddle = 0, active = 0 } = rows[0] ?? {};
  return active > 0 && straddle * 2 >= active;
}

/** A cursor's sort value checked by PostgreSQL's own input function for the sort's type; 400 when it fails. */
async function cursorValue(client: pg.ClientBase, value: string, sort: Sort): Promise<string> {
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_input_is_valid($1, $2) AS ok', [
    value,
    SORTS[sort].type,
  ]);
  if (!rows[0]?.ok) {
    throw new BadRequestError('invalid_cursor', 'cursor does not belong to this sort', {
      parameter: 'cursor',
    });
  }
  return value;
}

/**
 * Lists users or sessions of the caller's org with their totals, most `sort` first. The range is
 * widened to whole UTC hours (the hourly rows' grain); totals come from `totalsSql`, so a list costs
 * one index row per active actor, with no aggregation for actors inside the range; p95 merges the
 * histograms of the page's actors only. A users list reads the whole UTC days inside the range from
 * daily rows and only its ragged hours from hourly rows (`wholeDays`, `rangeRows`).
 */
export async function listActors(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  kind: 'user' | 'session',
  query: Record<string, unknown>,
): Promise<ActorPage> {
  const q = parseQuery(ACTORS_QUERY, query);
  const minutes = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const from = new Date(Math.floor(minutes.from.getTime() / HOUR_MS) * HOUR_MS);
  const to = new Date(Math.ceil(minutes.to.getTime() / HOUR_MS) * HOUR_MS);
  const sort: Sort = q.sort ?? 'events';
  const { expr, type } = SORTS[sort];
  const after = q.cursor;
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, q.project_id);
    // The value of the cursor's type: a malformed one is a 400, not a failed query.
    const position = after ? await cursorValue(client, after.v, sort) : null;
    // Ordered and limited first, the sort value printed only for the page's rows.
    const days = wholeDays(kind, from, to);
    const setWise = days !== null && (await mostStraddle(client, caller.org_id, projects, from, to));
    const { rows } = await client.query<
      Counters & { actor: string; sv: string; first_seen: Date; last_seen: Date }
    >(
      `SELECT p.*, (${expr})::text AS sv FROM (
         SELECT actor, events, errors, input_tokens, output_tokens, cost_usd, first_seen, last_seen
           FROM (${
             setWise
               ? dayTotalsSql({ from: '$9', to: '$10', end: '$11' })
               : totalsSql(projects.length > 1, days && { from: '$9', to: '$10' })
           }) t
          WHERE $6::${type} IS NULL OR ((${expr}), actor) < ($6::${type}, $7::text)
          ORDER BY ${expr} DESC, actor DESC
          LIMIT $8) p
        ORDER BY ${expr} DESC, actor DESC`,
      [
        caller.org_id,
        projects,
        kind,
        from,
        to,
        position,
        after?.a ?? null,
        q.limit + 1,
        ...(days ? (setWise ? [days.from, days.to, days.end] : [days.from, days.to]) : []),
      ],
    );
    const page = rows.slice(0, q.limit);
    const hists = new Map<string, LatencyHistogram>();
    if (page.length > 0) {
      // The page's histograms from the same days and hours as its totals.
      const { rows: joined } = await client.query<{ actor: string; hists: string | null }>(
        `SELECT actor, string_agg(latency_hist::text, ',') AS hists
           FROM (${rangeRows(
             'r.actor, r.latency_hist',
             'r.org_id = $1 AND r.project_id = ANY($2::uuid[]) AND r.kind = $3 AND r.actor = ANY($6::text[])',
             days && { from: '$7', to: '$8' },
           )}) x
          GROUP BY 1`,
        [
          caller.org_id,
          projects,
          kind,
          from,
          to,
          page.map((r) => r.actor),
          ...(days ? [days.from, days.to] : []),
        ],
      );
      for (const r of joined) hists.set(r.actor, addHistogramTexts({}, r.hists));
    }
    const last = page[page.length - 1];
    return {
      kind,
      from: from.toISOString(),
      to: to.toISOString(),
      sort,
      items: page.map((r) => {
        const c = counters(r);
        return {
          id: r.actor,
          ...c,
          error_rate: c.events > 0 ? c.errors / c.events : 0,
          p95: percentiles(hists.get(r.actor)).p95,
          first_seen: r.first_seen.toISOString(),
          last_seen: r.last_seen.toISOString(),
        };
      }),
      next_cursor: rows.length > q.limit && last ? encodeCursor({ v: last.sv, a: last.actor }) : null,
    };
  });
}
