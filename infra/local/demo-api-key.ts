// Gives the demo project an API key at first start, through the admin core, and keeps it (in .data/) across restarts.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { type KeyTagSecret, keyTagVerifier, parseApiKey } from '../../contract/index.ts';
import { createApiKey } from '../../regional/api/admin/api-keys.ts';
import type { Caller } from '../../regional/api/auth/caller.ts';
import { withTransaction } from '../../regional/db/tenant.ts';
import { enqueueKeyUpsert, type KeyState } from '../../regional/outbox/enqueue.ts';
import type { WiredOutbox } from '../../regional/outbox/wire.ts';

/** The audit log's actor for the demo key. */
const ACTOR: Omit<Caller, 'org_id'> = { sub: 'system:local-stack', email: '', role: 'admin' };

/**
 * Returns the demo project's API key. On first start it is created exactly as an admin creates one
 * (regional/api/admin/api-keys.ts: key row, audit row and outbox row in one transaction); on later
 * starts the saved key is announced again (a fresh outbox row), so the key cache holds it even if
 * dynalite's data was lost. Either way the outbox is drained before returning, so the edge knows the
 * key now. The full key is kept in `.data/demo-api-key.json` (mode 0600, git-ignored): local demo
 * only, never logged.
 */
export async function ensureDemoApiKey(options: {
  /** `llmo_app` pool (the admin core runs under row-level security). */
  app: pg.Pool;
  /** `llmo_system` pool (reads the saved key's row across orgs). */
  system: pg.Pool;
  outbox: WiredOutbox;
  dataDir: string;
  orgId: string;
  projectId: string;
  /** The local tag secret: a saved key tagged otherwise (an older format or secret) is replaced. */
  keyTag: KeyTagSecret;
}): Promise<string> {
  const file = path.join(options.dataDir, 'demo-api-key.json');
  const saved = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as { key?: string; projectId?: string })
    .catch(() => undefined);
  const parsed = saved?.key ? parseApiKey(saved.key) : undefined;
  const tagged = parsed?.ok && keyTagVerifier({ [options.keyTag.version]: options.keyTag.secret })(parsed);
  if (saved?.key && parsed?.ok && tagged && saved.projectId === options.projectId) {
    const announced = await withTransaction(options.system, async (client) => {
      const { rows } = await client.query<KeyState>(
        `SELECT id, org_id, project_id, prefix, secret_sha256, status FROM api_keys
         WHERE prefix = $1 AND project_id = $2 AND status = 'active'`,
        [parsed.prefix, options.projectId],
      );
      const row = rows[0];
      if (row) await enqueueKeyUpsert(client, row, new Date());
      return row !== undefined;
    });
    if (announced) {
      await options.outbox.drain();
      return saved.key;
    }
  }
  const created = await createApiKey(
    {
      db: options.app,
      clock: () => new Date(),
      keyTagSecret: options.keyTag,
      onKeyChange: async () => {
        await options.outbox.drain();
      },
    },
    { ...ACTOR, org_id: options.orgId },
    options.projectId,
    { name: 'demo key' },
  );
  await mkdir(options.dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ key: created.key, projectId: options.projectId })}\n`, {
    mode: 0o600,
  });
  return created.key;
}
