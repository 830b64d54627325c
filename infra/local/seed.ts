// Seeds the demo tenant (org, project, admin and member users) once; later starts find and reuse it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { withTransaction } from '../../regional/db/tenant.ts';
import { createOrganization } from '../../regional/ops/organizations.ts';
import type { DemoTenant } from './context.ts';
import { PRIVATE_FILE_MODE } from './private-fs.ts';
import { hashPassword, type LocalUser, readUsers, upsertUsers, userSub } from './users.ts';

const ADMIN_EMAIL = 'admin@demo.local';
const MEMBER_EMAIL = 'member@demo.local';
const ACTOR = { sub: 'system:local-seed' } as const;

/**
 * Makes sure the demo org and project exist (recreating them if the database was reset) and that the
 * local user pool has the demo admin and member with the demo password. Idempotent.
 */
export async function seedDemo(system: pg.Pool, dataDir: string, password: string): Promise<DemoTenant> {
  const stateFile = path.join(dataDir, 'demo.json');
  const saved = await readFile(stateFile, 'utf8')
    .then((s) => JSON.parse(s) as { orgId: string; projectId: string })
    .catch(() => undefined);
  const ids = await withTransaction(system, async (client) => {
    if (saved) {
      const found = await client.query('SELECT 1 FROM projects WHERE id = $1 AND org_id = $2', [
        saved.projectId,
        saved.orgId,
      ]);
      if (found.rowCount) return saved;
    }
    const org = await createOrganization(client, 'Demo org', ACTOR);
    const { rows } = await client.query<{ id: string }>(
      "INSERT INTO projects (org_id, name) VALUES ($1, 'demo') RETURNING id",
      [org.id],
    );
    const projectId = rows[0]?.id ?? '';
    await client.query(
      `INSERT INTO audit_logs (org_id, actor_sub, action, target_type, target_id, details)
       VALUES ($1, $2, 'project.create', 'project', $3, '{"name":"demo"}')`,
      [org.id, ACTOR.sub, projectId],
    );
    return { orgId: org.id, projectId };
  });
  await writeFile(stateFile, JSON.stringify(ids), { mode: PRIVATE_FILE_MODE });

  const usersFile = path.join(dataDir, 'users.json');
  const existing = new Map((await readUsers(usersFile)).map((u) => [u.email, u]));
  const wanted: LocalUser[] = [];
  for (const [email, role] of [
    [ADMIN_EMAIL, 'admin'],
    [MEMBER_EMAIL, 'member'],
  ] as const) {
    const current = existing.get(email);
    if (current?.orgId === ids.orgId && current.role === role) continue;
    wanted.push({ sub: userSub(email), email, orgId: ids.orgId, role, passwordHash: hashPassword(password) });
  }
  if (wanted.length) await upsertUsers(usersFile, wanted);
  return { ...ids, adminEmail: ADMIN_EMAIL, memberEmail: MEMBER_EMAIL, password };
}
