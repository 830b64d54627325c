// Event detail: one event with every field it was sent with, found by its id (deep links from the dashboard).
import { EVENT_PATTERNS } from '../../../contract/index.ts';
import { withOrg } from '../../db/tenant.ts';
import type { Caller } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { parseQuery, uuidParam } from '../query.ts';
import { type EventRow, type ExplorerItem, explorerItem } from './events.ts';
import { projectScope } from './scope.ts';

const EVENT_ID = new RegExp(EVENT_PATTERNS.eventId);

/** Query parameters of event detail. */
export const EVENT_DETAIL_QUERY = { project_id: uuidParam('invalid_project_id') };

/**
 * The event `eventId` of one project (or of any project of the caller's org when none is given),
 * exactly as stored, plus project and arrival time. Event ids are unique per project; should an SDK
 * have reused one with another timestamp, the newest is answered. 404 when the caller's org has none.
 */
export async function eventDetail(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
  eventId: string | undefined,
  query: Record<string, unknown>,
): Promise<ExplorerItem> {
  const { project_id: projectId } = parseQuery(EVENT_DETAIL_QUERY, query);
  if (eventId === undefined || !EVENT_ID.test(eventId)) throw new NotFoundError('No such event');
  return withOrg(deps.db, caller.org_id, async (client) => {
    const projects = await projectScope(client, caller.org_id, projectId);
    // (project_id, event_id) index: one probe per daily partition, no time range needed.
    const { rows } = await client.query<EventRow>(
      `SELECT project_id, received_at, event FROM telemetry_events
        WHERE org_id = $1 AND project_id = ANY($2::uuid[]) AND event_id = $3
        ORDER BY ts DESC LIMIT 1`,
      [caller.org_id, projects, eventId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('No such event');
    return explorerItem(row);
  });
}
