// Trace view: the events sharing one trace_id, ordered by start, with totals over the whole trace.
import { withOrg } from '../../db/tenant.ts';
import { type Counters, counters } from '../../rollups/minutes.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { limitParam, parseQuery, uuidParam } from '../query.ts';
import { type EventRow, type ExplorerItem, explorerItem } from './events.ts';
import { projectScope } from './scope.ts';

/** Trace answer: `items` are the first `limit` events by start; totals count every event of the trace. */
export type Trace = {
  trace_id: string;
  started_at: string;
  /** Latest start + duration among the trace's events (its start when none reported a duration). */
  ended_at: string;
  duration_ms: number;
  totals: Counters;
  items: ExplorerItem[];
  /** True when the trace has more events than `items` holds. */
  truncated: boolean;
};

const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/** Query parameters of the trace view. */
export const TRACE_QUERY = { project_id: uuidParam('invalid_project_id'), limit: limitParam(500, 1000) };

/** Reads one trace of the caller's org (one project, or every project: a trace may cross services). */
export async function trace(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
  traceId: string | undefined,
  query: Record<string, unknown>,
): Promise<Trace> {
  const { project_id: projectId, limit } = parseQuery(TRACE_QUERY, query);
  if (traceId === undefined || !TRACE_ID.test(traceId)) throw new NotFoundError('No such trace');
  const id = traceId.toLowerCase();
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    // Both statements read the (project_id, trace_id, ts) index only for this trace.
    const { rows: totals } = await client.query<
      Counters & { started_at: Date | null; ended_at: Date | null }
    >(
      `SELECT count(*)::bigint AS events, count(*) FILTER (WHERE status = 'error')::bigint AS errors,
              coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
              coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
              coalesce(sum(cost_usd), 0)::numeric AS cost_usd,
              min(ts) AS started_at,
              max(ts + coalesce(duration_ms, 0) * interval '1 millisecond') AS ended_at
         FROM telemetry_events
        WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND trace_id = $3`,
      [caller.org_id, projects, id],
    );
    const t = totals[0];
    if (!t?.started_at || !t.ended_at || t.events === 0) throw new NotFoundError('No such trace');
    const { rows } = await client.query<EventRow>(
      `SELECT project_id, received_at, event FROM telemetry_events
        WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND trace_id = $3
        ORDER BY ts, event_id LIMIT $4`,
      [caller.org_id, projects, id, limit],
    );
    const c = counters(t);
    return {
      trace_id: id,
      started_at: t.started_at.toISOString(),
      ended_at: t.ended_at.toISOString(),
      duration_ms: t.ended_at.getTime() - t.started_at.getTime(),
      totals: c,
      items: rows.map(explorerItem),
      truncated: c.events > rows.length,
    };
  });
}
