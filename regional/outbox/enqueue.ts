// Writes a key change into the outbox inside the caller's transaction (the "transactional" in transactional outbox).
import type pg from 'pg';
import { type KeyCacheItem, type KeyCacheSource, keyCacheItem } from '../../contract/index.ts';

/** The key fields an outbox entry is built from (an `api_keys` row). */
export type KeyState = KeyCacheSource;

/**
 * Appends the new state of a key to `key_outbox` using `client`, which must be inside the same
 * transaction as the change itself: both commit or neither does. The version is the change time in
 * ms, forced above any version already queued for this key so two changes in one millisecond still
 * order correctly.
 * @returns the item that will reach DynamoDB.
 */
export async function enqueueKeyUpsert(
  client: pg.ClientBase,
  key: KeyState,
  now: Date,
): Promise<KeyCacheItem> {
  const { rows } = await client.query<{ v: number }>(
    `SELECT coalesce(max((payload->>'version')::bigint), 0) AS v FROM key_outbox WHERE key_id = $1`,
    [key.id],
  );
  const version = Math.max(now.getTime(), (rows[0]?.v ?? 0) + 1);
  const item = keyCacheItem(key, version);
  await client.query(
    `INSERT INTO key_outbox (org_id, key_id, prefix, op, payload) VALUES ($1, $2, $3, 'upsert', $4)`,
    [key.org_id, key.id, key.prefix, JSON.stringify(item)],
  );
  return item;
}
