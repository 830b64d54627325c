// Creates (or re-keys) the service roles before migrations grant privileges to them.
import type pg from 'pg';
import { APP_ROLE, type RolePasswords, SYSTEM_ROLE } from './urls.ts';

/** Renders one statement with identifiers and literals escaped by PostgreSQL itself (format %I / %L). */
async function formatted(owner: pg.ClientBase, template: string, ...args: string[]): Promise<string> {
  const params = args.map((_, i) => `$${i + 1}::text`).join(', ');
  const { rows } = await owner.query<{ sql: string }>(
    `SELECT format($$${template}$$, ${params}) AS sql`,
    args,
  );
  return rows[0]?.sql ?? '';
}

/**
 * Ensures `llmo_app` and `llmo_system` exist without SUPERUSER or BYPASSRLS, and may connect to the
 * current database. With `passwords`, both are LOGIN roles with those passwords (created or re-keyed);
 * without, missing roles are created NOLOGIN and existing ones are left as they are — roles are
 * cluster-wide, so a test run on a shared server must not change the passwords a running stack uses.
 */
export async function ensureRoles(owner: pg.ClientBase, passwords?: RolePasswords): Promise<void> {
  for (const [role, password] of [
    [APP_ROLE, passwords?.app],
    [SYSTEM_ROLE, passwords?.system],
  ] as const) {
    const exists = (await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
    const safe = 'NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB';
    if (password !== undefined) {
      const verb = exists ? 'ALTER' : 'CREATE';
      await owner.query(await formatted(owner, `${verb} ROLE %I LOGIN ${safe} PASSWORD %L`, role, password));
    } else if (!exists) {
      await owner.query(await formatted(owner, `CREATE ROLE %I NOLOGIN ${safe}`, role));
    }
  }
  const { rows } = await owner.query<{ db: string }>('SELECT current_database() AS db');
  await owner.query(
    await formatted(
      owner,
      'GRANT CONNECT, TEMPORARY ON DATABASE %I TO llmo_app, llmo_system',
      rows[0]?.db ?? '',
    ),
  );
}

/**
 * Creates a throwaway LOGIN role that acts as `base` (a member inheriting its privileges and its
 * row-level-security policies, never more) — how tests on a shared server get their own credentials.
 */
export async function createMemberRole(
  owner: pg.ClientBase,
  name: string,
  base: typeof APP_ROLE | typeof SYSTEM_ROLE,
  password: string,
): Promise<void> {
  await owner.query(
    await formatted(
      owner,
      'CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD %L IN ROLE %I',
      name,
      password,
      base,
    ),
  );
}
