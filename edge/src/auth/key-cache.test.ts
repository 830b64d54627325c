// Key cache: TTLs, LRU bounds, single flight, bounded and prioritised store reads, shedding, stale-if-error.
import { describe, expect, it } from 'vitest';
import { HeldKeyStore, MemoryKeyStore } from '../../test/fakes.ts';
import { KeyCache, type KeyCacheOptions } from './key-cache.ts';

const OPTIONS: KeyCacheOptions = {
  maxEntries: 3,
  maxNegativeEntries: 3,
  positiveTtlMs: 2000,
  negativeTtlMs: 500,
  staleIfErrorMs: 10_000,
  maxConcurrentLookups: 8,
  maxQueuedLookups: 8,
};

const settle = () => new Promise((resolve) => setImmediate(resolve));
const unknownPrefix = (i: number) => `U${String(i).padStart(11, '0')}`;

function setup() {
  const store = new MemoryKeyStore();
  let now = 1_000_000;
  const clock = {
    advance(ms: number) {
      now += ms;
    },
  };
  const cache = new KeyCache(store, OPTIONS, () => now);
  return { store, cache, clock };
}
const prefixOf = (key: string) => key.slice(4, 16);

describe('KeyCache', () => {
  it('serves from memory within the TTL and re-reads after it (revocation reaches the edge)', async () => {
    const { store, cache, clock } = setup();
    const { key, record } = store.add();
    const prefix = prefixOf(key);
    expect((await cache.lookup(prefix)).source).toBe('store');
    clock.advance(500);
    expect((await cache.lookup(prefix)).source).toBe('cache');
    store.records.set(prefix, { ...record, status: 'revoked' });
    clock.advance(1600);
    const after = await cache.lookup(prefix);
    expect(after.record?.status).toBe('revoked');
  });

  it('caches "no such key" for the shorter negative TTL', async () => {
    const { store, cache, clock } = setup();
    await cache.lookup('AAAAAAAAAAAA');
    await cache.lookup('AAAAAAAAAAAA');
    expect(store.reads).toBe(1);
    clock.advance(600);
    await cache.lookup('AAAAAAAAAAAA');
    expect(store.reads).toBe(2);
  });

  it('makes one store read for many concurrent lookups of a prefix', async () => {
    const { store, cache } = setup();
    const { key } = store.add();
    await Promise.all(Array.from({ length: 50 }, () => cache.lookup(prefixOf(key))));
    expect(store.reads).toBe(1);
  });

  it('stays bounded, evicting the least recently used prefix', async () => {
    const { store, cache } = setup();
    const keys = [store.add(), store.add(), store.add(), store.add()].map((k) => prefixOf(k.key));
    for (const p of keys.slice(0, 3)) await cache.lookup(p);
    await cache.lookup(keys[0] as string); // touch
    await cache.lookup(keys[3] as string);
    expect(cache.size).toBe(3);
    const before = store.reads;
    await cache.lookup(keys[0] as string);
    expect(store.reads).toBe(before);
    await cache.lookup(keys[1] as string);
    expect(store.reads).toBe(before + 1);
  });

  it('when the store fails: serves an active key within the stale window, keeps revoked keys revoked, cannot tell unknown ones', async () => {
    const { store, cache, clock } = setup();
    const active = prefixOf(store.add().key);
    const revoked = prefixOf(store.add('revoked').key);
    await cache.lookup(active);
    await cache.lookup(revoked);
    store.down = true;
    clock.advance(3000);
    expect((await cache.lookup(active)).source).toBe('stale');
    expect((await cache.lookup(revoked)).record?.status).toBe('revoked');
    await expect(cache.lookup('BBBBBBBBBBBB')).rejects.toThrowError(/key store/);
    clock.advance(8000);
    await expect(cache.lookup(active)).rejects.toThrowError(/key store/);
  });

  it('keeps misses in their own LRU: a flood of unknown prefixes never evicts a found key', async () => {
    const { store, cache } = setup();
    const real = prefixOf(store.add().key);
    await cache.lookup(real);
    for (let i = 0; i < 50; i++) await cache.lookup(unknownPrefix(i));
    expect(cache.size).toBe(1 + OPTIONS.maxNegativeEntries);
    const before = store.reads;
    expect((await cache.lookup(real)).source).toBe('cache');
    expect(store.reads).toBe(before);
  });
});

describe('KeyCache read bounds', () => {
  const bounded = { ...OPTIONS, maxConcurrentLookups: 2, maxQueuedLookups: 3 };

  it('makes at most maxConcurrentLookups reads at once, queues up to maxQueuedLookups, sheds the rest at once', async () => {
    const store = new HeldKeyStore();
    const cache = new KeyCache(store, bounded);
    const outcomes: Array<string | undefined> = [];
    const lookups = Array.from({ length: 8 }, (_, i) =>
      cache.lookup(unknownPrefix(i)).then(
        () => {
          outcomes[i] = 'answered';
        },
        (error: Error) => {
          outcomes[i] = error.name;
        },
      ),
    );
    await settle();
    expect(store.order).toEqual([unknownPrefix(0), unknownPrefix(1)]);
    expect(cache.load).toEqual({ active: 2, known: 0, unknown: 3 });
    // The three past the queue were refused without waiting for any read.
    expect(outcomes.slice(5)).toEqual(['KeyLookupShedError', 'KeyLookupShedError', 'KeyLookupShedError']);
    expect(outcomes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    while (store.held.length > 0) {
      store.releaseOne();
      await settle();
    }
    await Promise.all(lookups);
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('answered'));
    expect(store.order).toHaveLength(5);
    expect(cache.load).toEqual({ active: 0, known: 0, unknown: 0 });
  });

  it('answers a cached prefix at once while every read slot and the queue are taken', async () => {
    const store = new HeldKeyStore();
    const { key } = store.add();
    const cache = new KeyCache(store, bounded);
    const warming = cache.lookup(prefixOf(key));
    await settle();
    store.releaseOne();
    await warming;
    const flood = Array.from({ length: 10 }, (_, i) => cache.lookup(unknownPrefix(i)).catch(() => undefined));
    await settle();
    expect(cache.load).toEqual({ active: 2, known: 0, unknown: 3 });
    const hit = await cache.lookup(prefixOf(key));
    expect(hit).toMatchObject({ source: 'cache', record: { status: 'active' } });
    while (store.held.length > 0) {
      store.releaseOne();
      await settle();
    }
    await Promise.all(flood);
  });

  it('re-reads an expired known key ahead of every queued unknown prefix', async () => {
    const store = new HeldKeyStore();
    const { key } = store.add();
    const known = prefixOf(key);
    let now = 1_000_000;
    const cache = new KeyCache(store, bounded, () => now);
    const warming = cache.lookup(known);
    await settle();
    store.releaseOne();
    await warming;
    now += OPTIONS.positiveTtlMs; // expired: the next lookup must read
    const flood = Array.from({ length: 5 }, (_, i) => cache.lookup(unknownPrefix(i)).catch(() => undefined));
    await settle();
    const refreshed = cache.lookup(known);
    await settle();
    expect(cache.load).toEqual({ active: 2, known: 1, unknown: 3 });
    store.releaseOne();
    await settle();
    // The first freed slot went to the known key, not to the unknown prefixes queued before it.
    expect(store.order.slice(1)).toEqual([unknownPrefix(0), unknownPrefix(1), known]);
    while (store.held.length > 0) {
      store.releaseOne();
      await settle();
    }
    expect((await refreshed).source).toBe('store');
    await Promise.all(flood);
  });

  it('serves an expired active key stale when its re-read is shed, and 503s an unknown one', async () => {
    const store = new HeldKeyStore();
    const { key } = store.add();
    const known = prefixOf(key);
    let now = 1_000_000;
    const cache = new KeyCache(store, { ...bounded, maxQueuedLookups: 0 }, () => now);
    const warming = cache.lookup(known);
    await settle();
    store.releaseOne();
    await warming;
    now += OPTIONS.positiveTtlMs;
    const flood = [cache.lookup(unknownPrefix(0)), cache.lookup(unknownPrefix(1))].map((p) =>
      p.catch(() => undefined),
    );
    await settle();
    expect((await cache.lookup(known)).source).toBe('stale');
    await expect(cache.lookup(unknownPrefix(2))).rejects.toThrowError(
      expect.objectContaining({ name: 'KeyLookupShedError' }),
    );
    while (store.held.length > 0) {
      store.releaseOne();
      await settle();
    }
    await Promise.all(flood);
  });
});
