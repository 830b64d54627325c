// Key checks cheapest first: header syntax, checksum (no lookup), cache, store; uniform 401s.
import { describe, expect, it } from 'vitest';
import { MemoryKeyStore } from '../../test/fakes.ts';
import type { EdgeError } from '../http/errors.ts';
import { authenticate, bearerToken } from './authenticate.ts';
import { KeyCache } from './key-cache.ts';

const OPTIONS = { maxEntries: 100, positiveTtlMs: 2000, negativeTtlMs: 1000, staleIfErrorMs: 60_000 };

describe('bearerToken', () => {
  it('accepts any scheme casing and spacing', () => {
    for (const h of ['Bearer abc', 'bearer abc', 'BEARER   abc', ' \tBeArEr\tabc  '])
      expect(bearerToken(h)).toBe('abc');
  });
  it('missing → missing_api_key; other shapes → malformed_api_key', () => {
    for (const h of [undefined, null, '', '   ']) {
      expect(() => bearerToken(h)).toThrowError(expect.objectContaining({ code: 'missing_api_key' }));
    }
    for (const h of ['Basic abc', 'Bearer', 'Bearer a b', 'lok_x']) {
      expect(() => bearerToken(h)).toThrowError(expect.objectContaining({ code: 'malformed_api_key' }));
    }
  });
});

describe('authenticate', () => {
  it('returns org, project and key id from the stored record', async () => {
    const store = new MemoryKeyStore();
    const { key, record } = store.add();
    const auth = await authenticate(`Bearer ${key}`, new KeyCache(store, OPTIONS));
    expect(auth).toMatchObject({ keyId: record.keyId, orgId: record.orgId, projectId: record.projectId });
  });

  it('rejects a wrong checksum or bad syntax without any lookup', async () => {
    const store = new MemoryKeyStore();
    const { key } = store.add();
    const typo = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const cache = new KeyCache(store, OPTIONS);
    for (const bad of [typo, 'lok_short.secret', key.replace('lok_', 'lox_')]) {
      await expect(authenticate(`Bearer ${bad}`, cache)).rejects.toThrowError(
        expect.objectContaining({ code: 'malformed_api_key' }),
      );
    }
    expect(store.reads).toBe(0);
  });

  it('unknown, revoked and wrong-secret keys get the same 401', async () => {
    const store = new MemoryKeyStore();
    const revoked = store.add('revoked').key;
    const other = new MemoryKeyStore();
    const unknown = other.add().key;
    const active = store.add();
    const wrongSecret = other.add();
    store.records.set(wrongSecret.key.slice(4, 16), active.record);
    const cache = new KeyCache(store, OPTIONS);
    const errors: Array<{ status?: number; message?: string }> = [];
    for (const key of [revoked, unknown, wrongSecret.key]) {
      errors.push(
        await authenticate(`Bearer ${key}`, cache).then(
          () => ({}),
          (e: EdgeError) => e,
        ),
      );
    }
    expect(errors.map((e) => [e.status, e.message])).toEqual([
      [401, 'the API key is not valid'],
      [401, 'the API key is not valid'],
      [401, 'the API key is not valid'],
    ]);
  });

  it('answers 503 (not 401) when the store is down and the key is not vouched for', async () => {
    const store = new MemoryKeyStore();
    const { key } = store.add();
    store.down = true;
    await expect(authenticate(`Bearer ${key}`, new KeyCache(store, OPTIONS))).rejects.toThrowError(
      expect.objectContaining({ status: 503 }),
    );
  });
});
