// API keys of a project: list, create (full key shown once), revoke; each change audited and queued for the edge.
import { generateApiKey } from '../../../contract/index.ts';
import { withOrg } from '../../db/tenant.ts';
import { enqueueKeyUpsert } from '../../outbox/enqueue.ts';
import { type Caller, requireAdmin } from '../auth/caller.ts';
import type { ApiDeps } from '../deps.ts';
import { NotFoundError } from '../errors.ts';
import { pathId } from '../ids.ts';
import { parseNameBody } from '../params.ts';
import { recordAudit } from './audit.ts';
import { ensureBelowCap, MAX_KEYS_PER_PROJECT } from './limits.ts';
import { projectExists } from './projects.ts';

/** A key as listings show it: never the secret, never its digest. */
export type ApiKeyView = {
  id: string;
  prefix: string;
  name: string;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
};

type KeyRow = {
  id: string;
  prefix: string;
  name: string;
  status: 'active' | 'revoked';
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Lists the keys of one project of the caller's org (admin only); 404 for a project it cannot see. */
export async function listApiKeys(
  deps: Pick<ApiDeps, 'db'>,
  caller: Caller,
  rawProjectId: unknown,
): Promise<{ api_keys: ApiKeyView[] }> {
  requireAdmin(caller);
  const projectId = pathId(rawProjectId, 'project');
  const rows = await withOrg(deps.db, caller.org_id, async (client) => {
    if (!(await projectExists(client, caller.org_id, projectId))) throw new NotFoundError('No such project');
    const res = await client.query<KeyRow>(
      `SELECT id, prefix, name, status, created_at, revoked_at, last_used_at FROM api_keys
        WHERE org_id = $1 AND project_id = $2 ORDER BY created_at DESC, id`,
      [caller.org_id, projectId],
    );
    return res.rows;
  });
  return {
    api_keys: rows.map((r) => ({
      id: r.id,
      prefix: r.prefix,
      name: r.name,
      status: r.status,
      created_at: r.created_at.toISOString(),
      revoked_at: iso(r.revoked_at),
      last_used_at: iso(r.last_used_at),
    })),
  };
}

/** The one answer that ever carries the full key. */
export type CreatedApiKey = { id: string; prefix: string; name: string; key: string; created_at: string };

/**
 * Creates a key: stores prefix + SHA-256 digest only, writes the audit row and the outbox row in the
 * same transaction, then nudges the propagator so the edge knows the key within moments.
 */
export async function createApiKey(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'onKeyChange' | 'keyTagSecret'>,
  caller: Caller,
  rawProjectId: unknown,
  body: unknown,
): Promise<CreatedApiKey> {
  requireAdmin(caller);
  const projectId = pathId(rawProjectId, 'project');
  const { name } = parseNameBody(body);
  if (!deps.keyTagSecret)
    throw new Error('this function has no key-tag secret (KEY_TAG_SECRET): it cannot mint keys');
  const generated = generateApiKey(deps.keyTagSecret);
  const created = await withOrg(deps.db, caller.org_id, async (client) => {
    if (!(await projectExists(client, caller.org_id, projectId))) throw new NotFoundError('No such project');
    await ensureBelowCap(
      client,
      `keys:${projectId}`,
      'SELECT count(*)::int AS n FROM api_keys WHERE org_id = $1 AND project_id = $2',
      [caller.org_id, projectId],
      {
        max: MAX_KEYS_PER_PROJECT,
        code: 'key_limit_reached',
        what: 'API keys per project, revoked ones included',
      },
    );
    const res = await client.query<{ id: string; created_at: Date }>(
      `INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [caller.org_id, projectId, generated.prefix, generated.secretSha256, name],
    );
    const row = res.rows[0];
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    await recordAudit(client, caller, {
      action: 'api_key.create',
      target_type: 'api_key',
      target_id: row.id,
      details: { name, prefix: generated.prefix, project_id: projectId },
    });
    await enqueueKeyUpsert(
      client,
      {
        id: row.id,
        org_id: caller.org_id,
        project_id: projectId,
        prefix: generated.prefix,
        secret_sha256: generated.secretSha256,
        status: 'active',
      },
      deps.clock(),
    );
    return row;
  });
  await deps.onKeyChange?.().catch(() => {});
  return {
    id: created.id,
    prefix: generated.prefix,
    name,
    key: generated.key,
    created_at: created.created_at.toISOString(),
  };
}

/** Result of a revocation. */
export type RevokedApiKey = { id: string; status: 'revoked'; revoked_at: string };

/**
 * Revokes a key of the caller's org. Idempotent: revoking a revoked key answers its existing state and
 * changes nothing (no second audit row). 404 for a key the caller's org does not have.
 */
export async function revokeApiKey(
  deps: Pick<ApiDeps, 'db' | 'clock' | 'onKeyChange' | 'keyTagSecret'>,
  caller: Caller,
  rawKeyId: unknown,
): Promise<RevokedApiKey> {
  requireAdmin(caller);
  const keyId = pathId(rawKeyId, 'API key');
  const result = await withOrg(deps.db, caller.org_id, async (client) => {
    // Row lock: concurrent revokes of one key serialize, and the outbox version order follows commit order.
    const res = await client.query<{
      id: string;
      project_id: string;
      prefix: string;
      secret_sha256: Buffer;
      status: 'active' | 'revoked';
      revoked_at: Date | null;
    }>(
      `SELECT id, project_id, prefix, secret_sha256, status, revoked_at FROM api_keys
        WHERE org_id = $1 AND id = $2 FOR UPDATE`,
      [caller.org_id, keyId],
    );
    const key = res.rows[0];
    if (!key) throw new NotFoundError('No such API key');
    if (key.status === 'revoked' && key.revoked_at) {
      return { changed: false, revoked_at: key.revoked_at };
    }
    const upd = await client.query<{ revoked_at: Date }>(
      `UPDATE api_keys SET status = 'revoked', revoked_at = now() WHERE org_id = $1 AND id = $2 RETURNING revoked_at`,
      [caller.org_id, keyId],
    );
    const revokedAt = upd.rows[0]?.revoked_at;
    if (!revokedAt) throw new Error('UPDATE … RETURNING returned no row');
    await recordAudit(client, caller, {
      action: 'api_key.revoke',
      target_type: 'api_key',
      target_id: keyId,
      details: { prefix: key.prefix, project_id: key.project_id },
    });
    await enqueueKeyUpsert(
      client,
      {
        id: keyId,
        org_id: caller.org_id,
        project_id: key.project_id,
        prefix: key.prefix,
        secret_sha256: key.secret_sha256,
        status: 'revoked',
      },
      deps.clock(),
    );
    return { changed: true, revoked_at: revokedAt };
  });
  if (result.changed) await deps.onKeyChange?.().catch(() => {});
  return { id: keyId, status: 'revoked', revoked_at: result.revoked_at.toISOString() };
}
