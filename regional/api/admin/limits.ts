// Per-tenant caps on customer-created objects, so every listing of them has a bounded size.
import type pg from 'pg';
import { ConflictError } from '../errors.ts';

/** Most projects one organization may have (the project list and every analytics scope list them all). */
export const MAX_PROJECTS_PER_ORG = 1_000;
/** Most API keys, revoked ones included, one project may have (its key list shows them all). */
export const MAX_KEYS_PER_PROJECT = 1_000;

/**
 * Inside the creating transaction: serialises creations for `scope` (a transaction-scoped advisory
 * lock, so two concurrent creations cannot both pass at max − 1), counts with `countSql`, and throws
 * 409 `code` when the cap is reached.
 */
export async function ensureBelowCap(
  client: pg.ClientBase,
  scope: string,
  countSql: string,
  params: unknown[],
  cap: { max: number; code: string; what: string },
): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`llmo-cap:${scope}`]);
  const { rows } = await client.query<{ n: number }>(countSql, params);
  if ((rows[0]?.n ?? 0) >= cap.max) {
    throw new ConflictError(cap.code, `at most ${cap.max} ${cap.what}`);
  }
}
