// Applies the SQL migrations in regional/db/migrations with node-pg-migrate, after ensuring the roles.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
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

/** The database's migration history names migrations that are not in regional/db/migrations. */
export class MigrationHistoryError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `this database was migrated with migration files that no longer exist (${unknown.join(', ')}): ` +
        'the migrations were folded and renumbered before the first deployment, so a database migrated ' +
        'with the old set must be recreated. For npm start: stop it, delete the postgres folder of the ' +
        'data folder (.data/postgres unless LLMO_DATA_DIR says otherwise) and start again; ' +
        'with DATABASE_URL, drop and create that database.',
    );
    this.name = 'MigrationHistoryError';
  }
}

/** Names of applied migrations that no file in `dir` has (a history from another set of files). */
async function unknownApplied(client: pg.Client, dir: string): Promise<string[]> {
  const { rows } = await client.query<{ present: boolean }>(
    "SELECT to_regclass('pgmigrations') IS NOT NULL AS present",
  );
  if (!rows[0]?.present) return [];
  const files = new Set((await readdir(dir)).map((f) => path.parse(f).name));
  const applied = await client.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY run_on, id');
  return applied.rows.map((r) => r.name).filter((name) => !files.has(name));
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
    // node-pg-migrate would only say "Not run migration … is preceding already run migration …".
    const unknown = await unknownApplied(client, MIGRATIONS_DIR);
    if (unknown.length > 0) throw new MigrationHistoryError(unknown);
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
