// Audit-log listing for org admins, newest first, with a keyset cursor on the row id.
import * as v from 'valibot';
import { withOrg } from '../../db/tenant.ts';
import { type Caller, requireAdmin } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { cursorParam, encodeCursor, limitParam, parseQuery } from '../query.ts';

/** One audit entry as the API shows it. */
export type AuditItem = {
  id: string;
  at: string;
  actor: { sub: string; email: string | null };
  action: string;
  target_type: string;
  target_id: string | null;
  details: Record<string, unknown>;
};

// Audit ids are a bigserial; every real one is far below 2^53, so a safe integer bounds what reaches SQL.
const CursorSchema = v.strictObject({
  id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
});

/** Query parameters of the audit-log listing. */
export const AUDIT_LOGS_QUERY = { limit: limitParam(50, 200), cursor: cursorParam(CursorSchema) };

/** Lists the caller's org audit log (admin only). */
export async function listAuditLogs(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<{ items: AuditItem[]; next_cursor: string | null }> {
  requireAdmin(caller);
  const q = parseQuery(AUDIT_LOGS_QUERY, query);
  const limit = q.limit;
  const before = q.cursor?.id ?? null;
  const rows = await withOrg(deps.db, caller.org_id, async (client) => {
    const res = await client.query<{
      id: number;
      at: Date;
      actor_sub: string;
      actor_email: string | null;
      action: string;
      target_type: string;
      target_id: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT id, at, actor_sub, actor_email, action, target_type, target_id, details
         FROM audit_logs
        WHERE org_id = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [caller.org_id, before, limit + 1],
    );
    return res.rows;
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actor: { sub: r.actor_sub, email: r.actor_email },
      action: r.action,
      target_type: r.target_type,
      target_id: r.target_id,
      details: r.details,
    })),
    next_cursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null,
  };
}
