// Projects of the caller's org: list (members) and create (admins, audited).
import { withOrg } from '../../db/tenant.ts';
import { type Caller, requireAdmin } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { ConflictError } from '../errors.ts';
import { parseNameBody } from '../params.ts';
import { recordAudit } from './audit.ts';
import { ensureBelowCap, MAX_PROJECTS_PER_ORG } from './limits.ts';

/** A project as the API shows it. */
export type ProjectView = { id: string; name: string; created_at: string };

type ProjectRow = { id: string; name: string; created_at: Date };

const view = (r: ProjectRow): ProjectView => ({
  id: r.id,
  name: r.name,
  created_at: r.created_at.toISOString(),
});

/** Every project of the caller's org, oldest first. */
export async function listProjects(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
): Promise<{ projects: ProjectView[] }> {
  const rows = await withOrg(deps.db, caller.org_id, async (client) => {
    const res = await client.query<ProjectRow>(
      'SELECT id, name, created_at FROM projects WHERE org_id = $1 ORDER BY created_at, id',
      [caller.org_id],
    );
    return res.rows;
  });
  return { projects: rows.map(view) };
}

/** Creates a project and its audit row in one transaction; 409 when the org already has that name or has reached its cap. */
export async function createProject(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
  body: unknown,
): Promise<ProjectView> {
  requireAdmin(caller);
  const { name } = parseNameBody(body);
  try {
    return await withOrg(deps.db, caller.org_id, async (client) => {
      await ensureBelowCap(
        client,
        `projects:${caller.org_id}`,
        'SELECT count(*)::int AS n FROM projects WHERE org_id = $1',
        [caller.org_id],
        { max: MAX_PROJECTS_PER_ORG, code: 'project_limit_reached', what: 'projects per organization' },
      );
      const res = await client.query<ProjectRow>(
        'INSERT INTO projects (org_id, name) VALUES ($1, $2) RETURNING id, name, created_at',
        [caller.org_id, name],
      );
      const row = res.rows[0];
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      await recordAudit(client, caller, {
        action: 'project.create',
        target_type: 'project',
        target_id: row.id,
        details: { name },
      });
      return view(row);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ConflictError('project_name_taken', 'A project with this name already exists');
    }
    throw error;
  }
}

/** True when the project exists in the caller's org (inside an org-scoped transaction). */
export async function projectExists(
  client: { query: (sql: string, params: unknown[]) => Promise<{ rowCount: number | null }> },
  orgId: string,
  projectId: string,
): Promise<boolean> {
  const res = await client.query('SELECT 1 FROM projects WHERE org_id = $1 AND id = $2', [orgId, projectId]);
  return (res.rowCount ?? 0) > 0;
}
