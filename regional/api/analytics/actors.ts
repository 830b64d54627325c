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
 * Placeholders of the whole UTC days [from, to) a statement reads daily rows for, and optionally `end`:
 * the end of the UTC day holding the range's end (its last, partial day), or null for hours only.
 */
type DayParams = { from: string; to: string; end?: string };

/**
 * One actor's (or the page's actors') rows covering [$4, $5), as `cols` of alias `r` where `match` holds:
 * with `days`, the daily rows of the whole UTC days [days.from, days.to) and the hourly rows of the ragged
 * hours before and after them (a user over 7 days: 7 + up to 46 rows instead of 168); without, the
 * hourly rows of the range. Both kinds of row carry the same counters, histogram and first/last seen.
 * With `done` (an SQL condition on the outer row: the actor has no event at or after $5) and `days.end`,
 * an actor for which it holds reads its last, partial day from that day's daily row too (which then
 * holds only hours in range): one index probe fewer per actor, the shape of every list ending now.
 * `done` is a condition of the outer row only, so the hours arm it turns off is never started.
 */
function rangeRows(cols: string, match: string, days: DayParams | null, done?: string): string {
  const arm = (table: string, at: string, lo: string, hi: string) =>
    `SELECT ${cols} FROM ${table} r WHERE ${match} AND r.${at} >= ${lo} AND r.${at} < ${hi}`;
  if (!days) return arm('actor_rollups_1h', 'hour', '$4', '$5');
  const tail = done && days.end ? done : null;
  return [
    arm('actor_rollups_1h', 'hour', '$4', days.from),
    arm(
      'actor_rollups_1d',
      'day',
      days.from,
      tail ? `CASE WHEN ${tail} THEN ${days.end}::timestamptz ELSE ${days.to}::timestamptz END` : days.to,
    ),
    arm('actor_rollups_1h', 'hour', days.to, '$5') + (tail ? ` AND NOT (${tail})` : ''),
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
        SELECT sum(x.events)::bigint AS events, sum(x.errors)::bigint AS errors,
               sum(x.input_tokens)::bigint AS input_tokens, sum(x.output_tokens)::bigint AS output_tokens,
               sum(x.cost_usd) AS cost_usd, min(x.first_seen) AS first_seen, max(x.last_seen) AS last_seen
          FROM (${rangeRows(
            TOTALS.map((c) => `r.${c}`).join(', '),
            'r.org_id = $1 AND r.project_id = s.project_id AND r.kind = $3 AND r.actor = s.actor',
            days,
            's.last_seen < $5',
          )}) x
        HAVING count(*) > 0
      ) e
     WHERE ${active} AND s.first_seen < $5 AND (s.first_seen < $4 OR s.last_seen >= $5)`;
  return multiProject
    ? `SELECT actor, sum(events)::bigint AS events, sum(errors)::bigint AS errors,
              sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
              sum(cost_usd) AS cost_usd, min(first_seen) AS first_seen, max(last_seen) AS last_seen
         FROM (${rows}) r GROUP BY actor`
    : rows;
}

/**
 * The whole UTC days inside [from, to) that the users list reads as daily rows, with `end`, the end of
 * the UTC day holding `to` (`rangeRows`' partial last day); null when there are none or the actors are
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
    const { rows } = await client.query<
      Counters & { actor: string; sv: string; first_seen: Date; last_seen: Date }
    >(
      `SELECT p.*, (${expr})::text AS sv FROM (
         SELECT actor, events, errors, input_tokens, output_tokens, cost_usd, first_seen, last_seen
           FROM (${totalsSql(projects.length > 1, days && { from: '$9', to: '$10', end: '$11' })}) t
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
        ...(days ? [days.from, days.to, days.end] : []),
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
