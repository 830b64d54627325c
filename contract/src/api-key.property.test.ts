// Property tests of the API key format: generated keys parse and verify, typos fail, parsing never throws.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_SECRET_LENGTH,
  assembleApiKey,
  generateApiKey as generateWith,
  hashSecret,
  keyPrefixOf,
  keyTagVerifier,
  newKeyTagSecret,
  parseApiKey,
  verifySecret,
} from './api-key.ts';
import { crc32Ascii } from './crc32.ts';

const TAG = { version: 'a', secret: newKeyTagSecret() };
const generateApiKey = () => generateWith(TAG);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base62 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE62.split('')), minLength: length, maxLength: length });
const partsArb = fc.tuple(base62(12), base62(30));
const versionArb = fc.constantFrom(...BASE62.split(''));

describe('API keys', () => {
  it('have the documented shape and a digest of the secret', () => {
    const { key, prefix, secretSha256 } = generateApiKey();
    expect(key).toMatch(/^lok_[0-9A-Za-z]{12}\.a[0-9A-Za-z]{44}$/);
    expect(key.startsWith(`lok_${prefix}.`)).toBe(true);
    const secret = key.slice(17);
    expect(secret).toHaveLength(API_KEY_SECRET_LENGTH);
    expect(secretSha256.equals(createHash('sha256').update(secret).digest())).toBe(true);
    expect(secretSha256).toHaveLength(32);
  }, 60_000);

  it('every generated key parses and verifies against its digest', () => {
    for (let i = 0; i < 200; i++) {
      const { key, prefix, secretSha256 } = generateApiKey();
      const parsed = parseApiKey(key);
      expect(parsed).toEqual({
        ok: true,
        prefix,
        secret: key.slice(17),
        version: 'a',
        tag: key.slice(18, 26),
      });
      expect(parsed.ok && verifySecret(parsed.secret, secretSha256)).toBe(true);
      expect(keyPrefixOf(key)).toBe(prefix);
    }
    fc.assert(
      fc.property(partsArb, ([prefix, random]) => {
        const { key, secretSha256 } = assembleApiKey(prefix, random, TAG);
        const parsed = parseApiKey(key);
        expect(parsed.ok && parsed.prefix === prefix && verifySecret(parsed.secret, secretSha256)).toBe(true);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('any one-character change of the secret fails the checksum', () => {
    fc.assert(
      fc.property(
        partsArb,
        fc.nat({ max: API_KEY_SECRET_LENGTH - 1 }),
        fc.constantFrom(...BASE62.split('')),
        ([prefix, random], index, replacement) => {
          const { key } = assembleApiKey(prefix, random, TAG);
          const at = 17 + index;
          fc.pre(key[at] !== replacement);
          const typo = key.slice(0, at) + replacement + key.slice(at + 1);
          expect(parseApiKey(typo)).toEqual({ ok: false, reason: 'bad_checksum' });
        },
      ),
      { numRuns: 2000 },
    );
  }, 60_000);

  it('a changed secret does not verify; digests of the wrong length never verify', () => {
    const { key, secretSha256 } = generateApiKey();
    const secret = key.slice(17);
    const other = generateApiKey().key.slice(17);
    expect(verifySecret(other, secretSha256)).toBe(false);
    expect(verifySecret(secret, secretSha256.subarray(0, 31))).toBe(false);
    expect(verifySecret(secret, new Uint8Array(0))).toBe(false);
    expect(verifySecret(secret, Buffer.concat([secretSha256, Buffer.from([0])]))).toBe(false);
    expect(verifySecret(secret, new Uint8Array(secretSha256))).toBe(true);
    expect(hashSecret(secret).equals(secretSha256)).toBe(true);
  }, 60_000);

  it('parsing never throws and rejects anything not shaped like a key as malformed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.jsonValue({ maxDepth: 1 }),
          fc.constantFrom(null, undefined, 1, {}, [], Symbol('k')),
        ),
        (input) => {
          const parsed = parseApiKey(input as string);
          expect(parsed.ok).toBe(false);
          expect(keyPrefixOf(input)).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
    const { key } = generateApiKey();
    for (const bad of [
      '',
      'lok_',
      `${key} `,
      ` ${key}`,
      key.replace('lok_', 'LOK_'),
      key.replace('.', '_'),
      `${key}A`,
    ]) {
      expect(parseApiKey(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(parseApiKey(`${key.slice(0, -1)}é`)).toEqual({ ok: false, reason: 'malformed' });
  }, 60_000);

  it('keyPrefixOf only returns the public part', () => {
    const { key, prefix } = generateApiKey();
    expect(keyPrefixOf(key)).toBe(prefix);
    expect(keyPrefixOf(`lok_${prefix}.short`)).toBe(prefix);
    expect(keyPrefixOf(`lok_${prefix}`)).toBeUndefined();
    expect(keyPrefixOf('Bearer whatever')).toBeUndefined();
  }, 60_000);

  it('computes the standard CRC-32', () => {
    expect(crc32Ascii('123456789')).toBe(0xcbf43926);
    expect(crc32Ascii('')).toBe(0);
  }, 60_000);
});

describe('prefix tags', () => {
  it('a key verifies under the secret of its version, and under no other secret or version', () => {
    const other = newKeyTagSecret();
    fc.assert(
      fc.property(partsArb, versionArb, ([prefix, random], version) => {
        const tag = { version, secret: TAG.secret };
        const parsed = parseApiKey(assembleApiKey(prefix, random, tag).key);
        if (!parsed.ok) throw new Error('a generated key must parse');
        expect(parsed.version).toBe(version);
        expect(keyTagVerifier({ [version]: TAG.secret })(parsed)).toBe(true);
        expect(keyTagVerifier({ [version]: other })(parsed)).toBe(false);
        const otherVersion = version === 'z' ? 'y' : 'z';
        expect(keyTagVerifier({ [otherVersion]: TAG.secret })(parsed)).toBe(false);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('a tag moved to another prefix does not verify (forging needs the secret)', () => {
    const check = keyTagVerifier({ [TAG.version]: TAG.secret });
    fc.assert(
      fc.property(base62(12), base62(12), base62(30), (a, b, random) => {
        fc.pre(a !== b);
        const parsed = parseApiKey(assembleApiKey(a, random, TAG).key);
        if (!parsed.ok) throw new Error('a generated key must parse');
        expect(check({ ...parsed, prefix: b })).toBe(false);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('refuses malformed tag secrets and versions, naming neither value', () => {
    expect(() => keyTagVerifier({})).toThrowError(/at least one/);
    expect(() => keyTagVerifier({ ab: TAG.secret })).toThrowError(/one base62 character/);
    expect(() => keyTagVerifier({ a: 'short' })).toThrowError(/at least 32 bytes|≥ 32 bytes/);
    expect(() => generateWith({ version: '-', secret: TAG.secret })).toThrowError(/version/);
  });
});
