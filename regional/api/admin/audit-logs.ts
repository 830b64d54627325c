// Audit-log listing for org admins, newest first, with a keyset cursor on the row id.
import * as v from 'valibot';
import { withOrg } from '../../db/tenant.ts';
import { type Caller, requireAdmin } from '../auth/caller.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { ApiDeps } from '../deps.ts';
import { parseLimit } from '../params.ts';

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

const CursorSchema = v.strictObject({ id: v.pipe(v.number(), v.integer(), v.minValue(1)) });

/** Lists the caller's org audit log (admin only). */
export async function listAuditLogs(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
  query: { limit?: unknown; cursor?: unknown },
): Promise<{ items: AuditItem[]; next_cursor: string | null }> {
  requireAdmin(caller);
  const limit = parseLimit(query.limit, 50, 200);
  const before =
    typeof query.cursor === 'string' && query.cursor !== ''
      ? decodeCursor(query.cursor, CursorSchema).id
      : null;
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
