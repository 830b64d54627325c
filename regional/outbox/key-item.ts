// The DynamoDB key-cache item the edge reads, and how an outbox row carries it.

/** Item shape in the key-cache table (partition key `prefix`); see the team brief. */
export type KeyCacheItem = {
  prefix: string;
  key_id: string;
  org_id: string;
  project_id: string;
  /** SHA-256 of the secret as 64 lowercase hex chars; never the secret itself. */
  secret_sha256: string;
  status: 'active' | 'revoked';
  /** Monotonic per key (ms epoch of the change): a writer never replaces a newer version. */
  version: number;
  updated_at: string;
};

/** True when `value` has the exact item shape (used on payloads read back from the outbox). */
export function isKeyCacheItem(value: unknown): value is KeyCacheItem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.prefix === 'string' &&
    typeof v.key_id === 'string' &&
    typeof v.org_id === 'string' &&
    typeof v.project_id === 'string' &&
    typeof v.secret_sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(v.secret_sha256) &&
    (v.status === 'active' || v.status === 'revoked') &&
    typeof v.version === 'number' &&
    Number.isSafeInteger(v.version) &&
    typeof v.updated_at === 'string'
  );
}
