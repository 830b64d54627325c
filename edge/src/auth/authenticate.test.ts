// Key checks cheapest first: header syntax, checksum and prefix tag (no lookup), cache, store; uniform 401s.
import { describe, expect, it } from 'vitest';
import { assembleApiKey, generateApiKey, keyTagVerifier, newKeyTagSecret } from '../../../contract/index.ts';
import { TEST_KEY_TAG, TEST_KEY_TAG_SECRETS } from '../../../infra/testing/key-tag.ts';
import { HeldKeyStore, MemoryKeyStore } from '../../test/fakes.ts';
import type { EdgeError } from '../http/errors.ts';
import { authenticate as authenticateWith, bearerToken } from './authenticate.ts';
import { KeyCache } from './key-cache.ts';

const OPTIONS = {
  maxEntries: 100,
  maxNegativeEntries: 100,
  positiveTtlMs: 2000,
  negativeTtlMs: 1000,
  staleIfErrorMs: 60_000,
  maxConcurrentLookups: 4,
  maxQueuedLookups: 8,
};
const tagCheck = keyTagVerifier(TEST_KEY_TAG_SECRETS);
const authenticate = (header: string, cache: KeyCache) => authenticateWith(header, cache, tagCheck);

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

  it('refuses a key whose prefix tag does not verify as unknown (401 invalid_api_key) without any lookup', async () => {
    const store = new MemoryKeyStore();
    const real = store.add();
    const prefix = real.key.slice(4, 16);
    const forged = [
      // A well-formed key with a valid checksum and a random tag: what a flood of forged keys sends.
      assembleApiKey(prefix, 'x'.repeat(30), { version: TEST_KEY_TAG.version, secret: newKeyTagSecret() })
        .key,
      // Tagged by a secret this edge does not hold (another deployment, or a retired version).
      generateApiKey({ version: 'Z', secret: newKeyTagSecret() }).key,
      generateApiKey({ version: TEST_KEY_TAG.version, secret: newKeyTagSecret() }).key,
    ];
    const cache = new KeyCache(store, OPTIONS);
    for (const key of forged) {
      await expect(authenticate(`Bearer ${key}`, cache)).rejects.toThrowError(
        expect.objectContaining({ status: 401, code: 'invalid_api_key' }),
      );
    }
    expect(store.reads).toBe(0);
    expect(cache.size).toBe(0);
    await expect(authenticate(`Bearer ${real.key}`, cache)).resolves.toMatchObject({
      keyId: real.record.keyId,
    });
    expect(store.reads).toBe(1);
  });

  it('accepts keys of every tag version it holds (rotation) and refuses the others', async () => {
    const store = new MemoryKeyStore();
    const older = { version: 'a', secret: newKeyTagSecret() };
    const newer = { version: 'b', secret: newKeyTagSecret() };
    const both = keyTagVerifier({ a: older.secret, b: newer.secret });
    const onlyNewer = keyTagVerifier({ b: newer.secret });
    const keyA = store.add('active', older).key;
    const keyB = store.add('active', newer).key;
    const cache = new KeyCache(store, OPTIONS);
    await expect(authenticateWith(`Bearer ${keyA}`, cache, both)).resolves.toBeDefined();
    await expect(authenticateWith(`Bearer ${keyB}`, cache, both)).resolves.toBeDefined();
    await expect(authenticateWith(`Bearer ${keyA}`, cache, onlyNewer)).rejects.toThrowError(
      expect.objectContaining({ code: 'invalid_api_key' }),
    );
    await expect(authenticateWith(`Bearer ${keyB}`, cache, onlyNewer)).resolves.toBeDefined();
  });

  it('a never-seen valid key reaches the store at once while forged keys flood and every read slot is busy', async () => {
    const store = new HeldKeyStore();
    const cache = new KeyCache(store, { ...OPTIONS, maxConcurrentLookups: 1, maxQueuedLookups: 1 });
    const forger = { version: TEST_KEY_TAG.version, secret: newKeyTagSecret() };
    // A key this edge has seen once holds the only slot; a real unknown key waits in the queue.
    const busy = store.add();
    const queued = store.add();
    const pending = [authenticate(`Bearer ${busy.key}`, cache), authenticate(`Bearer ${queued.key}`, cache)];
    const forged = Array.from({ length: 500 }, () =>
      authenticate(`Bearer ${generateApiKey(forger).key}`, cache).then(
        () => 'accepted',
        (e: EdgeError) => e.code,
      ),
    );
    expect(new Set(await Promise.all(forged))).toEqual(new Set(['invalid_api_key']));
    expect(store.order).toEqual([busy.key.slice(4, 16)]);
    expect(cache.load).toEqual({ active: 1, known: 0, unknown: 1 });
    store.releaseAll();
    await expect(Promise.all(pending)).resolves.toHaveLength(2);
  });

  it('sheds a lookup past the queue with 503 unavailable and Retry-After, without reading', async () => {
    const store = new HeldKeyStore();
    const cache = new KeyCache(store, { ...OPTIONS, maxConcurrentLookups: 1, maxQueuedLookups: 0 });
    const first = authenticate(`Bearer ${store.add().key}`, cache);
    await expect(authenticate(`Bearer ${store.add().key}`, cache)).rejects.toThrowError(
      expect.objectContaining({ status: 503, code: 'unavailable', retryAfterSeconds: 1 }),
    );
    expect(store.order).toHaveLength(1);
    store.releaseAll();
    await expect(first).resolves.toBeDefined();
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
