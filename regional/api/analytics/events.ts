// Event explorer: raw events newest first, filtered, with a keyset cursor (no OFFSET: page N costs what page 1 does).
import * as v from 'valibot';
import { EVENT_PATTERNS } from '../../../contract/index.ts';
import { withOrg } from '../../db/tenant.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { cursorParam, encodeCursor, limitParam, PrintedTimestamp, parseQuery } from '../query.ts';
import { DEFAULT_MAX_RANGE_DAYS, FILTER_QUERY, RANGE_QUERY, resolveRange } from './params.ts';
import { projectScope } from './scope.ts';

/** An event as stored (exactly as the SDK sent it) plus where and when it arrived. */
export type ExplorerItem = Record<string, unknown> & { project_id: string; received_at: string };

/** Explorer answer. */
export type ExplorerPage = { items: ExplorerItem[]; next_cursor: string | null };

// Position of the last row of a page: (ts as PostgreSQL printed it — microseconds intact, project, event id).
const CursorSchema = v.strictObject({
  t: PrintedTimestamp,
  p: v.pipe(v.string(), v.uuid()),
  e: v.pipe(v.string(), v.regex(new RegExp(EVENT_PATTERNS.eventId))),
});

/** Query parameters of the explorer. */
export const EVENTS_QUERY = {
  ...RANGE_QUERY,
  ...FILTER_QUERY,
  limit: limitParam(50, 200),
  cursor: cursorParam(CursorSchema),
};

/** Lists events of the caller's org in [from, to), newest first. */
export async function listEvents(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'maxRangeDays'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<ExplorerPage> {
  const q = parseQuery(EVENTS_QUERY, query);
  const range = resolveRange(q, deps.clock(), deps.maxRangeDays ?? DEFAULT_MAX_RANGE_DAYS);
  const { project_id: projectId, limit, cursor: after, ...filters } = q;
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    const { rows } = await client.query<{
      project_id: string;
      event_id: string;
      ts_text: string;
      received_at: Date;
      event: Record<string, unknown>;
    }>(
      `SELECT project_id, event_id, to_json(ts) #>> '{}' AS ts_text, received_at, event
         FROM telemetry_events
        WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND ts >= $3 AND ts < $4
          AND ($5::text IS NULL OR model = $5)
          AND ($6::text IS NULL OR provider = $6)
          AND ($7::text IS NULL OR operation = $7)
          AND ($8::text IS NULL OR environment = $8)
          AND ($9::text IS NULL OR status = $9)
          AND ($10::timestamptz IS NULL OR (ts, project_id, event_id) < ($10::timestamptz, $11::uuid, $12::text))
        ORDER BY ts DESC, project_id DESC, event_id DESC
        LIMIT $13`,
      [
        caller.org_id,
        projects,
        range.from,
        range.to,
        filters.model ?? null,
        filters.provider ?? null,
        filters.operation ?? null,
        filters.environment ?? null,
        filters.status ?? null,
        after?.t ?? null,
        after?.p ?? null,
        after?.e ?? null,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        ...r.event,
        project_id: r.project_id,
        received_at: r.received_at.toISOString(),
      })),
      next_cursor:
        rows.length > limit && last
          ? encodeCursor({ t: last.ts_text, p: last.project_id, e: last.event_id })
          : null,
    };
  });
}
