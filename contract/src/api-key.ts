// API key format 2: lok_<prefix>.<secret>; the secret carries a keyed tag of the prefix and a CRC32 checksum.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_KEY_TAG_LENGTH, type KeyTagSecret, keyTagOf } from './api-key-tag.ts';
import { crc32Ascii } from './crc32.ts';

export {
  API_KEY_TAG_LENGTH,
  KEY_TAG_SECRET_RE,
  KEY_TAG_VERSION_RE,
  type KeyTagSecret,
  keyTagOf,
  keyTagVerifier,
  newKeyTagSecret,
} from './api-key-tag.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Version of the key layout described in contract/README.md ("API keys"). */
export const API_KEY_FORMAT_VERSION = 2;
/** Literal start of every key. */
export const API_KEY_SCHEME = 'lok_';
/** Length of the public prefix (base62). */
export const API_KEY_PREFIX_LENGTH = 12;
/** Random base62 characters in the secret: 30 × log2(62) ≈ 178 bits. */
export const API_KEY_RANDOM_LENGTH = 30;
/** Base62 characters of the CRC32 checksum (62^6 > 2^32). */
export const API_KEY_CHECKSUM_LENGTH = 6;
/** Full secret length: tag version (1) + tag + random + checksum. */
export const API_KEY_SECRET_LENGTH = 1 + API_KEY_TAG_LENGTH + API_KEY_RANDOM_LENGTH + API_KEY_CHECKSUM_LENGTH;
/** Characters the checksum covers (everything in the secret before it). */
const CHECKED_LENGTH = API_KEY_SECRET_LENGTH - API_KEY_CHECKSUM_LENGTH;

const KEY_RE = /^lok_([0-9A-Za-z]{12})\.([0-9A-Za-z]{45})$/;
const PREFIX_RE = /^lok_([0-9A-Za-z]{12})\./;

/** Uniform random base62 string (rejection sampling: bytes ≥ 248 are dropped to avoid modulo bias). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Fixed-width (6 chars) big-endian base62 encoding of a CRC32 value. */
function checksumOf(checked: string): string {
  let n = crc32Ascii(checked);
  let out = '';
  for (let i = 0; i < API_KEY_CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** SHA-256 of the UTF-8 secret: the only form in which a secret is ever stored. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A generated key: `key` is shown once to its owner; store only `prefix` and `secretSha256`. */
export type GeneratedApiKey = { key: string; prefix: string; secretSha256: Buffer };

/**
 * Assembles a key from its random parts (12 and 30 base62 characters), adding the prefix tag under
 * `tagSecret` and the checksum. Only generateApiKey should feed it real randomness; it is exported so
 * tests can drive the parts.
 */
export function assembleApiKey(prefix: string, random: string, tagSecret: KeyTagSecret): GeneratedApiKey {
  const checked = tagSecret.version + keyTagOf(prefix, tagSecret) + random;
  const secret = checked + checksumOf(checked);
  return { key: `${API_KEY_SCHEME}${prefix}.${secret}`, prefix, secretSha256: hashSecret(secret) };
}

/**
 * Creates a new key with a cryptographically random prefix and secret, tagged with `tagSecret` (the
 * current version of the key-tag secret, which the edge must hold too or it refuses the key unread).
 */
export function generateApiKey(tagSecret: KeyTagSecret): GeneratedApiKey {
  return assembleApiKey(randomBase62(API_KEY_PREFIX_LENGTH), randomBase62(API_KEY_RANDOM_LENGTH), tagSecret);
}

/** Result of parseApiKey; `reason` is safe to log, the secret never is. `version` and `tag` are the prefix tag's. */
export type ParsedApiKey =
  | { ok: true; prefix: string; secret: string; version: string; tag: string }
  | { ok: false; reason: 'malformed' | 'bad_checksum' };

/** Splits and checks a key (syntax and checksum) without any lookup or secret. Never throws, whatever the input. */
export function parseApiKey(input: string): ParsedApiKey {
  if (typeof input !== 'string' || input.length !== 4 + API_KEY_PREFIX_LENGTH + 1 + API_KEY_SECRET_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const m = KEY_RE.exec(input);
  const prefix = m?.[1];
  const secret = m?.[2];
  if (prefix === undefined || secret === undefined) return { ok: false, reason: 'malformed' };
  if (checksumOf(secret.slice(0, CHECKED_LENGTH)) !== secret.slice(CHECKED_LENGTH)) {
    return { ok: false, reason: 'bad_checksum' };
  }
  return {
    ok: true,
    prefix,
    secret,
    version: secret.charAt(0),
    tag: secret.slice(1, 1 + API_KEY_TAG_LENGTH),
  };
}

/** Constant-time check of a secret against a stored SHA-256 digest; false on any length mismatch. */
export function verifySecret(secret: string, digest: Uint8Array): boolean {
  if (typeof secret !== 'string' || !(digest instanceof Uint8Array) || digest.length !== 32) return false;
  return timingSafeEqual(hashSecret(secret), digest);
}

/** The public prefix of something that looks like a key (safe to log), or undefined. */
export function keyPrefixOf(key: unknown): string | undefined {
  if (typeof key !== 'string') return undefined;
  return PREFIX_RE.exec(key)?.[1];
}
