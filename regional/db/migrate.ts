// Applies the SQL migrations in regional/db/migrations with node-pg-migrate, after ensuring the roles.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { ensureRoles } from './roles.ts';
import type { RolePasswords } from './urls.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Owner connection string: the role that owns the tables. */
  ownerUrl: string;
  /** Sets the service roles' login passwords; omit to leave existing roles untouched (see ensureRoles). */
  passwords?: RolePasswords;
  /** Receives one line per applied migration; silent by default. */
  log?: (line: string) => void;
}

/**
 * Brings the database to the newest schema. Safe to run concurrently (node-pg-migrate takes an
 * advisory lock) and on every start (applied migrations are skipped).
 * @returns the names of the migrations applied by this call.
 */
export async function migrate(options: MigrateOptions): Promise<string[]> {
  const client = new pg.Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    await ensureRoles(client, options.passwords);
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: 'wait',
      log: () => {},
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    for (const m of applied) options.log?.(`migrated ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
}
