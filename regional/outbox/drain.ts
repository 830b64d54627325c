// One pass over the key outbox: push every due row to the key cache, mark it delivered or schedule a retry.
import type pg from 'pg';
import { parseKeyCacheItem } from '../../contract/index.ts';
import { withTransaction } from '../db/tenant.ts';
import type { KeyCacheWriter } from './dynamo-key-store.ts';

/** What a drain pass needs: the system-role pool (sees every org's outbox) and the cache writer. */
export type DrainDeps = {
  pool: pg.Pool;
  writer: KeyCacheWriter;
  batchSize?: number;
  /** Called once per failed row; never receives a secret (items hold digests, errors come from DynamoDB). */
  onError?: (info: { outboxId: number; prefix: string; attempts: number; error: unknown }) => void;
};

/** Totals of one pass. */
export type DrainResult = { delivered: number; failed: number };

/** Retry delay after the n-th failure: 0.5 s doubling, capped at one minute. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000, 500 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers due outbox rows in id order (so older states of a key go first; the version condition in
 * DynamoDB makes any reordering harmless anyway). Rows are claimed with SKIP LOCKED, so several
 * propagators (API instances, the sweep) can run at once without delivering a row twice at a time.
 */
export async function drainKeyOutbox(deps: DrainDeps): Promise<DrainResult> {
  const total = await drainDue(deps);
  // Nothing failed this pass, yet rows may wait out a long backoff from an outage that is over: one
  // delivery attempt tells. If DynamoDB answers, every waiting row is due at once.
  if (total.failed === 0 && (await probeWaiting(deps))) {
    const more = await drainDue(deps);
    total.delivered += more.delivered + 1;
    total.failed += more.failed;
  }
  return total;
}

/**
 * Tries the waiting row with the fewest attempts (so a row that always fails does not decide),
 * ignoring its backoff. Delivered: every other waiting row is made due now and true is returned.
 * Failed: the error is recorded, the backoff left as it was. Costs one DynamoDB write per call,
 * and only while rows wait.
 */
async function probeWaiting(deps: DrainDeps): Promise<boolean> {
  return withTransaction(deps.pool, async (client) => {
    const { rows } = await client.query<{ id: number; prefix: string; attempts: number; payload: unknown }>(
      `SELECT id, prefix, attempts, payload FROM key_outbox
        WHERE delivered_at IS NULL
        ORDER BY attempts, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    const row = rows[0];
    if (!row) return false;
    try {
      const item = parseKeyCacheItem(row.payload);
      if (!item) throw new Error('outbox payload is not a key-cache item');
      await deps.writer.put(item);
    } catch (error) {
      await client.query('UPDATE key_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
        row.id,
        String((error as Error)?.message ?? error).slice(0, 500),
      ]);
      deps.onError?.({ outboxId: row.id, prefix: row.prefix, attempts: row.attempts + 1, error });
      return false;
    }
    await client.query(
      'UPDATE key_outbox SET delivered_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE id = $1',
      [row.id],
    );
    await client.query(
      `UPDATE key_outbox SET next_attempt_at = clock_timestamp()
        WHERE delivered_at IS NULL AND next_attempt_at > clock_timestamp()`,
    );
    return true;
  });
}

/** Delivers every row whose backoff is over, in batches. */
async function drainDue(deps: DrainDeps): Promise<DrainResult> {
  const batchSize = deps.batchSize ?? 100;
  const total: DrainResult = { delivered: 0, failed: 0 };
  for (;;) {
    const claimed = await withTransaction(deps.pool, async (client) => {
      const { rows } = await client.query<{ id: number; prefix: string; attempts: number; payload: unknown }>(
        `SELECT id, prefix, attempts, payload FROM key_outbox
          WHERE delivered_at IS NULL AND next_attempt_at <= clock_timestamp()
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      for (const row of rows) {
        try {
          const item = parseKeyCacheItem(row.payload);
          if (!item) throw new Error('outbox payload is not a key-cache item');
          await deps.writer.put(item);
          await client.query(
            'UPDATE key_outbox SET delivered_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE id = $1',
            [row.id],
          );
          total.delivered += 1;
        } catch (error) {
          const attempts = row.attempts + 1;
          await client.query(
            `UPDATE key_outbox SET attempts = $2, last_error = $3,
                    next_attempt_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000)
              WHERE id = $1`,
            [
              row.id,
              attempts,
              String((error as Error)?.message ?? error).slice(0, 500),
              retryDelayMs(attempts),
            ],
          );
          total.failed += 1;
          deps.onError?.({ outboxId: row.id, prefix: row.prefix, attempts, error });
        }
      }
      return rows.length;
    });
    if (claimed < batchSize) return total;
  }
}

/** Rows not yet delivered (any org); for health checks and tests. */
export async function pendingOutboxCount(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM key_outbox WHERE delivered_at IS NULL',
  );
  return rows[0]?.n ?? 0;
}
