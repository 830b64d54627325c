// Authorization header → authenticated key, cheapest check first: syntax and checksum, prefix tag, cache, store.
import { parseApiKey, verifySecret } from '../../../contract/index.ts';
import {
  InvalidApiKeyError,
  MalformedApiKeyError,
  MissingApiKeyError,
  UnavailableError,
} from '../http/errors.ts';
import type { KeyCache } from './key-cache.ts';
import { KeyStoreUnavailableError } from './key-record.ts';

/** The caller, from its key alone: org and project never come from the body. */
export interface AuthenticatedKey {
  keyId: string;
  orgId: string;
  projectId: string;
  prefix: string;
}

// Scheme is case-insensitive (RFC 9110); spaces/tabs around and between are tolerated.
const BEARER_RE = /^[ \t]*bearer[ \t]+([^ \t]+)[ \t]*$/i;
/** Compared against when the key is unknown, so unknown and wrong-secret cost the same work. */
const DUMMY_DIGEST = new Uint8Array(32);

/** Extracts the token of a `Bearer` Authorization header; throws the right 401 otherwise. */
export function bearerToken(header: string | null | undefined): string {
  if (header === null || header === undefined || header.trim() === '') throw new MissingApiKeyError();
  const match = BEARER_RE.exec(header);
  if (!match?.[1]) throw new MalformedApiKeyError();
  return match[1];
}

/** Checks a key's prefix tag against the tag secrets this edge holds (contract `keyTagVerifier`). */
export type PrefixTagCheck = (key: { prefix: string; version: string; tag: string }) => boolean;

/**
 * Authenticates the Authorization header. 401 for anything not a valid active key; 503 if unknowable.
 * A key whose prefix tag does not verify was not minted by us: refused as unknown without any lookup,
 * so a flood of forged prefixes costs one HMAC each and never reaches the cache or the store.
 */
export async function authenticate(
  header: string | null | undefined,
  keys: KeyCache,
  tagIsValid: PrefixTagCheck,
): Promise<AuthenticatedKey> {
  const parsed = parseApiKey(bearerToken(header));
  if (!parsed.ok) throw new MalformedApiKeyError();
  if (!tagIsValid(parsed)) throw new InvalidApiKeyError();
  let record: Awaited<ReturnType<KeyCache['lookup']>>['record'];
  try {
    ({ record } = await keys.lookup(parsed.prefix));
  } catch (error) {
    if (error instanceof KeyStoreUnavailableError) {
      throw new UnavailableError('cannot verify the API key right now', 1, { cause: error });
    }
    throw error;
  }
  const matches = verifySecret(parsed.secret, record?.secretSha256 ?? DUMMY_DIGEST);
  if (!record || !matches || record.status !== 'active') throw new InvalidApiKeyError();
  return { keyId: record.keyId, orgId: record.orgId, projectId: record.projectId, prefix: parsed.prefix };
}
