// Known values of one dimension in a range, for filter dropdowns: bounded, prefix-matched ignoring case.
import { withOrg } from '../../db/tenant.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { limitParam, parseQuery, type QueryDecl, requiredEnumParam, textParam } from '../query.ts';
import { DEFAULT_MAX_RANGE_DAYS, RANGE_QUERY, resolveRange } from './params.ts';
import { projectScope } from './scope.ts';
import { sourceFor } from './source.ts';

/**
 * Where each dimension's values come from: the rollup dimensions from the dimensional tiers and
 * per-minute rollups (`source.ts`: a few dozen rows per hour of data); error types from the failed events only (partial index); user and
 * session ids from the hourly actor rollups (whole hours around the range; matched by prefix as sent).
 */
const SOURCES = {
  model: 'rollup',
  provider: 'rollup',
  operation: 'rollup',
  environment: 'rollup',
  status: 'rollup',
  error_type: 'errors',
  user_id: 'user',
  session_id: 'session',
} as const;
type ValueDimension = keyof typeof SOURCES;

/** Query parameters of the values route. */
export const VALUES_QUERY = {
  ...RANGE_QUERY,
  dimension: requiredEnumParam(
    Object.keys(SOURCES) as [ValueDimension, ...ValueDimension[]],
    'invalid_dimension',
  ),
  prefix: textParam('invalid_prefix', 256),
  limit: limitParam(50, 200),
} satisfies QueryDecl;

/** Values answer: most frequent first. */
export type Values = { dimension: ValueDimension; values: Array<{ value: string; events: number }> };

/** Lists the values `dimension` took in the range (with their event counts), optionally by prefix. */
export async function dimensionValues(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<Values> {
  const q = parseQuery(VALUES_QUERY, query);
  const dim = q.dimension;
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const { project_id: projectId, limit } = q;
  const prefix = q.prefix ?? '';
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    // The column name comes from the fixed SOURCES map, never from input.
    const source = SOURCES[dim];
    if (source === 'rollup') {
      // The dimensional tiers for clean blocks, per-minute rows for the rest (one point: the range).
      const src = await sourceFor(client, caller.org_id, projects, range, { attrs: [] });
      const params = [...src.params, prefix, limit];
      const { rows } = await client.query<{ value: string; events: number }>(
        `SELECT ${dim} AS value, sum(events)::bigint AS events FROM ${src.table}
          WHERE ${src.where} AND ${dim} <> '' AND starts_with(lower(${dim}), lower($${params.length - 1}::text))
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $${params.length}::int`,
        params,
      );
      return { dimension: dim, values: rows };
    }
    const sql =
      source === 'errors'
        ? `SELECT error_type AS value, count(*)::bigint AS events FROM telemetry_events
            WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND ts >= $3 AND ts < $4
              AND status = 'error' AND error_type IS NOT NULL AND starts_with(lower(error_type), lower($5))
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $6`
        : `SELECT actor AS value, sum(events)::bigint AS events FROM actor_rollups_1h
            WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND kind = $7
              AND hour >= date_trunc('hour', $3::timestamptz) AND hour < $4 AND starts_with(actor, $5)
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $6`;
    const { rows } = await client.query<{ value: string; events: number }>(sql, [
      caller.org_id,
      projects,
      range.from,
      range.to,
      prefix,
      limit,
      ...(source === 'errors' ? [] : [source]),
    ]);
    return { dimension: dim, values: rows };
  });
}
