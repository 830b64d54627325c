// Transaction helpers: withOrg scopes a transaction to one org for row-level security.
import type pg from 'pg';

/** Runs `fn` inside BEGIN/COMMIT; rolls back and rethrows on any error. */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE' } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation}` : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs `fn` in a transaction whose row-level-security org is `orgId` (transaction-local, so a pooled
 * connection never carries it into the next caller). Queries must still filter by org themselves:
 * RLS is the second wall, not the first.
 */
export async function withOrg<T>(
  pool: pg.Pool,
  orgId: string,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query("SELECT set_config('app.org_id', $1, true)", [orgId]);
    return fn(client);
  });
}
