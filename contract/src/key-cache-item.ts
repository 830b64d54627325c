// The DynamoDB key-cache item: written by the regional outbox, read by the edge. One definition for both sides.

/** One API key's state in the key-cache table (partition key `prefix`); never the secret, only its digest. */
export type KeyCacheItem = {
  prefix: string;
  key_id: string;
  org_id: string;
  project_id: string;
  /** SHA-256 of the secret as 64 lowercase hex chars. */
  secret_sha256: string;
  status: 'active' | 'revoked';
  /** Monotonic per key (ms epoch of the change): a writer never replaces a newer version. */
  version: number;
  updated_at: string;
};

/** The key fields an item is written from (an `api_keys` row). */
export type KeyCacheSource = {
  id: string;
  org_id: string;
  project_id: string;
  prefix: string;
  secret_sha256: Buffer;
  status: 'active' | 'revoked';
};

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DIGEST_RE = /^[0-9a-f]{64}$/;

/** Writes the item for `key` at `version` (ms epoch; `updated_at` is the same instant). */
export function keyCacheItem(key: KeyCacheSource, version: number): KeyCacheItem {
  return {
    prefix: key.prefix,
    key_id: key.id,
    org_id: key.org_id,
    project_id: key.project_id,
    secret_sha256: key.secret_sha256.toString('hex'),
    status: key.status,
    version,
    updated_at: new Date(version).toISOString(),
  };
}

/** Reads an item back (from DynamoDB or an outbox payload); undefined unless it has exactly the item's shape. */
export function parseKeyCacheItem(value: unknown): KeyCacheItem | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { prefix, key_id, org_id, project_id, secret_sha256, status, version, updated_at } = v;
  if (typeof prefix !== 'string' || prefix.length === 0) return undefined;
  if (typeof key_id !== 'string' || !UUID_RE.test(key_id)) return undefined;
  if (typeof org_id !== 'string' || !UUID_RE.test(org_id)) return undefined;
  if (typeof project_id !== 'string' || !UUID_RE.test(project_id)) return undefined;
  if (typeof secret_sha256 !== 'string' || !DIGEST_RE.test(secret_sha256)) return undefined;
  if (status !== 'active' && status !== 'revoked') return undefined;
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) return undefined;
  if (typeof updated_at !== 'string') return undefined;
  return { prefix, key_id, org_id, project_id, secret_sha256, status, version, updated_at };
}
