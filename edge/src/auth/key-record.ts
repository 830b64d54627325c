// What the edge knows about one API key, as read from the DynamoDB key cache table.

/** One key as the edge needs it; the secret itself is never known, only its SHA-256 digest. */
export interface KeyRecord {
  keyId: string;
  orgId: string;
  projectId: string;
  secretSha256: Buffer;
  status: 'active' | 'revoked';
  /** Monotonic change stamp (ms epoch), written by the outbox propagator. */
  version: number;
}

/** Reads key records; `undefined` = no such key. Throws KeyStoreUnavailableError when it cannot tell. */
export interface KeyStore {
  get(prefix: string): Promise<KeyRecord | undefined>;
}

/** The key store could not answer (network, throttling, timeout): not the same as "no such key". */
export class KeyStoreUnavailableError extends Error {
  override name = 'KeyStoreUnavailableError';
}

/** This instance already has its maximum of key reads in flight and queued: the read was not made. */
export class KeyLookupShedError extends KeyStoreUnavailableError {
  override name = 'KeyLookupShedError';
}
