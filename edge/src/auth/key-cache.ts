// In-memory LRU of key records in front of the KeyStore: TTLs, one read in flight per prefix, stale-if-error.
import { type KeyRecord, type KeyStore, KeyStoreUnavailableError } from './key-record.ts';

/** Tuning of the key cache (see EdgeConfig.keyCache). */
export interface KeyCacheOptions {
  maxEntries: number;
  positiveTtlMs: number;
  negativeTtlMs: number;
  staleIfErrorMs: number;
}

interface Entry {
  /** undefined = the store said "no such key". */
  record: KeyRecord | undefined;
  /** When the store last answered for this prefix. */
  fetchedAt: number;
}

/** Outcome of a lookup, for logs and tests. */
export type LookupSource = 'cache' | 'store' | 'stale';

/**
 * Key lookups, cheapest first. A found key (active or revoked) is trusted for `positiveTtlMs`, a missing
 * one for `negativeTtlMs`; hot keys are re-read in the background after half their TTL so requests rarely
 * wait. When the store fails, an ACTIVE key last confirmed within `staleIfErrorMs` is still served; a key
 * seen revoked stays revoked (401); an unknown one throws KeyStoreUnavailableError (503: we cannot tell).
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();

  constructor(
    private readonly store: KeyStore,
    private readonly options: KeyCacheOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The record for `prefix` (undefined = no such key) and where it came from. */
  async lookup(prefix: string): Promise<{ record: KeyRecord | undefined; source: LookupSource }> {
    const entry = this.entries.get(prefix);
    const now = this.now();
    if (entry) {
      const ttl = entry.record ? this.options.positiveTtlMs : this.options.negativeTtlMs;
      const age = now - entry.fetchedAt;
      if (age < ttl) {
        // LRU touch: re-insert so the Map's insertion order tracks recency.
        this.entries.delete(prefix);
        this.entries.set(prefix, entry);
        if (entry.record && age >= ttl / 2 && !this.inFlight.has(prefix)) {
          this.fetch(prefix).catch(() => {
            // Background refresh failures are handled by the next foreground lookup.
          });
        }
        return { record: entry.record, source: 'cache' };
      }
    }
    try {
      const fresh = await this.fetch(prefix);
      return { record: fresh.record, source: 'store' };
    } catch (error) {
      const last = this.entries.get(prefix);
      // Revocation is final (a key never comes back), so a key once seen revoked stays refused.
      if (last?.record?.status === 'revoked') return { record: last.record, source: 'stale' };
      if (last?.record?.status === 'active' && this.now() - last.fetchedAt <= this.options.staleIfErrorMs) {
        return { record: last.record, source: 'stale' };
      }
      throw error instanceof KeyStoreUnavailableError
        ? error
        : new KeyStoreUnavailableError('key store read failed', { cause: error });
    }
  }

  /** Number of cached prefixes (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** One store read per prefix at a time: concurrent callers share it. */
  private fetch(prefix: string): Promise<Entry> {
    const pending = this.inFlight.get(prefix);
    if (pending) return pending;
    const read = this.store
      .get(prefix)
      .then((record) => {
        const entry: Entry = { record, fetchedAt: this.now() };
        this.entries.delete(prefix);
        this.entries.set(prefix, entry);
        this.evict();
        return entry;
      })
      .finally(() => this.inFlight.delete(prefix));
    this.inFlight.set(prefix, read);
    return read;
  }

  private evict(): void {
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
