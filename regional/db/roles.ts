// Creates (or re-keys) the service login roles before migrations grant privileges to them.
import type pg from 'pg';
import { APP_ROLE, type RolePasswords, SYSTEM_ROLE } from './urls.ts';

/**
 * Ensures `llmo_app` and `llmo_system` exist as LOGIN roles without BYPASSRLS and with the given
 * passwords. Roles are cluster-wide, so this is idempotent and safe to run on every start.
 */
export async function ensureRoles(owner: pg.ClientBase, passwords: RolePasswords): Promise<void> {
  for (const [role, password] of [
    [APP_ROLE, passwords.app],
    [SYSTEM_ROLE, passwords.system],
  ] as const) {
    const exists = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    // Identifiers cannot be bound as parameters; the role names are constants, the password is a
    // literal escaped by PostgreSQL itself through format(%L).
    const verb = exists.rowCount ? 'ALTER' : 'CREATE';
    const { rows } = await owner.query<{ sql: string }>(
      `SELECT format('${verb} ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD %L', $1::text, $2::text) AS sql`,
      [role, password],
    );
    await owner.query(rows[0]?.sql ?? '');
  }
  const { rows } = await owner.query<{ db: string }>('SELECT current_database() AS db');
  const db = rows[0]?.db ?? '';
  const { rows: grant } = await owner.query<{ sql: string }>(
    'SELECT format($$GRANT CONNECT, TEMPORARY ON DATABASE %I TO llmo_app, llmo_system$$, $1::text) AS sql',
    [db],
  );
  await owner.query(grant[0]?.sql ?? '');
}
