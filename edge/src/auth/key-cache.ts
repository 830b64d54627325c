// In-memory LRUs of key records in front of the KeyStore: TTLs, bounded reads, single flight, stale-if-error.
import { type KeyRecord, type KeyStore, KeyStoreUnavailableError } from './key-record.ts';
import { LookupGate, type LookupLane } from './lookup-gate.ts';

/** Tuning of the key cache (see EdgeConfig.keyCache). */
export interface KeyCacheOptions {
  /** Found keys (active or revoked) kept at once. */
  maxEntries: number;
  /** "No such key" answers kept at once, apart from found keys so misses never evict them. */
  maxNegativeEntries: number;
  positiveTtlMs: number;
  negativeTtlMs: number;
  staleIfErrorMs: number;
  /** Store reads in flight at once. */
  maxConcurrentLookups: number;
  /** Reads waiting for a slot, per lane (known / unknown prefixes); past it the read is shed (503). */
  maxQueuedLookups: number;
}

interface Entry {
  /** undefined = the store said "no such key". */
  record: KeyRecord | undefined;
  /** When the store last answered for this prefix. */
  fetchedAt: number;
}

/** Outcome of a lookup, for logs and tests. */
export type LookupSource = 'cache' | 'store' | 'stale';

/** Map-as-LRU helpers: a Map keeps insertion order, so re-inserting marks an entry most recent. */
function touch(map: Map<string, Entry>, key: string, entry: Entry, max: number): void {
  map.delete(key);
  map.set(key, entry);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

/**
 * Key lookups, cheapest first. A found key (active or revoked) is trusted for `positiveTtlMs`, a missing
 * one for `negativeTtlMs`; hot keys are re-read in the background after half their TTL so requests rarely
 * wait. Found keys and misses live in separate LRUs, so a flood of unknown prefixes cannot evict a real
 * key. Store reads go through a LookupGate: a few in flight, capped queues behind them, refreshes of
 * found keys ahead of unknown prefixes, and a read that finds its queue full is not made (shed).
 * When a read fails or is shed, an ACTIVE key last confirmed within `staleIfErrorMs` is still served; a
 * key seen revoked stays revoked (401); an unknown one throws KeyStoreUnavailableError (503: we cannot tell).
 */
export class KeyCache {
  private readonly found = new Map<string, Entry>();
  private readonly missing = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();
  private readonly gate: LookupGate;

  constructor(
    private readonly store: KeyStore,
    private readonly options: KeyCacheOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.gate = new LookupGate({
      maxConcurrent: options.maxConcurrentLookups,
      maxQueued: options.maxQueuedLookups,
    });
  }

  /** The record for `prefix` (undefined = no such key) and where it came from. */
  async lookup(prefix: string): Promise<{ record: KeyRecord | undefined; source: LookupSource }> {
    const now = this.now();
    const known = this.found.get(prefix);
    if (known && now - known.fetchedAt < this.options.positiveTtlMs) {
      touch(this.found, prefix, known, this.options.maxEntries);
      if (now - known.fetchedAt >= this.options.positiveTtlMs / 2 && !this.inFlight.has(prefix)) {
        this.fetch(prefix, 'known').catch(() => {
          // Background refresh failures (shed included) are handled by the next foreground lookup.
        });
      }
      return { record: known.record, source: 'cache' };
    }
    const miss = known ? undefined : this.missing.get(prefix);
    if (miss && now - miss.fetchedAt < this.options.negativeTtlMs) {
      touch(this.missing, prefix, miss, this.options.maxNegativeEntries);
      return { record: undefined, source: 'cache' };
    }
    try {
      const fresh = await this.fetch(prefix, known ? 'known' : 'unknown');
      return { record: fresh.record, source: 'store' };
    } catch (error) {
      const last = this.found.get(prefix);
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

  /** Number of cached prefixes, found and missing (for tests and metrics). */
  get size(): number {
    return this.found.size + this.missing.size;
  }

  /** Store reads in flight and waiting (for tests and metrics). */
  get load(): { active: number; known: number; unknown: number } {
    return this.gate.load;
  }

  /** One store read per prefix at a time (concurrent callers share it), through the gate. */
  private fetch(prefix: string, lane: LookupLane): Promise<Entry> {
    const pending = this.inFlight.get(prefix);
    if (pending) return pending;
    const read = this.gate
      .run(() => this.store.get(prefix), lane)
      .then((record) => {
        const entry: Entry = { record, fetchedAt: this.now() };
        if (record) {
          this.missing.delete(prefix);
          touch(this.found, prefix, entry, this.options.maxEntries);
        } else {
          this.found.delete(prefix);
          touch(this.missing, prefix, entry, this.options.maxNegativeEntries);
        }
        return entry;
      })
      .finally(() => this.inFlight.delete(prefix));
    this.inFlight.set(prefix, read);
    return read;
  }
}
