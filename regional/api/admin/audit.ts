// Audit log: one row per admin mutation, written in the mutation's own transaction.
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';

/** What happened, to what. `details` must never contain a secret or a full key. */
export type AuditEntry = {
  action: 'project.create' | 'api_key.create' | 'api_key.revoke';
  target_type: 'project' | 'api_key';
  target_id: string;
  details: Record<string, unknown>;
};

/** Inserts the audit row with `client` (inside the caller's transaction) and the actor from the token. */
export async function recordAudit(client: pg.ClientBase, caller: Caller, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_logs (org_id, actor_sub, actor_email, action, target_type, target_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      caller.org_id,
      caller.sub,
      caller.email || null,
      entry.action,
      entry.target_type,
      entry.target_id,
      JSON.stringify(entry.details),
    ],
  );
}
