// Key cache: TTLs, LRU bound, single flight, stale-if-error for active keys only.
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore } from '../../test/fakes.ts';
import { KeyCache } from './key-cache.ts';

const OPTIONS = { maxEntries: 3, positiveTtlMs: 2000, negativeTtlMs: 500, staleIfErrorMs: 10_000 };

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
});
