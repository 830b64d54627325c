// Resolves which projects an analytics query may read: always within the caller's org.
import type pg from 'pg';
import { NotFoundError } from '../errors.ts';

/**
 * The project ids to query: the one asked for (404 unless it is the caller's org's) or all of the
 * org's. Listing them lets every query use the (project_id, minute) / (project_id, ts) index prefix.
 */
export async function projectScope(
  client: pg.ClientBase,
  orgId: string,
  projectId: string | undefined,
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    'SELECT id FROM projects WHERE org_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)',
    [orgId, projectId ?? null],
  );
  if (projectId && rows.length === 0) throw new NotFoundError('No such project');
  return rows.map((r) => r.id);
}
