// Keyed tag of an API key's prefix (HMAC-SHA256, versioned secret): the edge refuses a forged prefix unread.
import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 characters of the prefix tag: 8 × log2(62) ≈ 47 bits, so a blind forgery succeeds once in ~2^47. */
export const API_KEY_TAG_LENGTH = 8;
/** A tag secret's version: one base62 character, written into every key it tags. */
export const KEY_TAG_VERSION_RE = /^[0-9A-Za-z]$/;
/** A tag secret: base64url of at least 32 random bytes. */
export const KEY_TAG_SECRET_RE = /^[A-Za-z0-9_-]{43,}$/;

/** The secret that tags new keys, with its version (the admin service mints with the current one). */
export interface KeyTagSecret {
  version: string;
  /** base64url, ≥ 32 bytes decoded; never logged. */
  secret: string;
}

/** A fresh tag secret (32 random bytes, base64url): local stacks and deployments generate one each. */
export function newKeyTagSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Tag of `prefix` under a secret key: base62 from the HMAC's bytes (rejection sampling, no modulo bias). */
function tagWith(key: KeyObject | Buffer, version: string, prefix: string): string {
  const digest = createHmac('sha256', key).update(`lok:${version}:${prefix}`).digest();
  let out = '';
  for (const byte of digest) {
    if (byte < 248) out += BASE62[byte % 62];
    if (out.length === API_KEY_TAG_LENGTH) return out;
  }
  // Fewer than 8 of 32 bytes under 248 (p ≈ 1e-30): fall back to the slightly biased mapping.
  for (const byte of digest) {
    out += BASE62[byte % 62];
    if (out.length === API_KEY_TAG_LENGTH) break;
  }
  return out;
}

/** Throws naming the problem (never the value) unless `version` and `secret` are well-formed. */
function checkTagSecret(version: string, secret: string): void {
  if (!KEY_TAG_VERSION_RE.test(version)) throw new Error('key tag version must be one base62 character');
  if (!KEY_TAG_SECRET_RE.test(secret))
    throw new Error(`key tag secret ${version} must be base64url of ≥ 32 bytes`);
}

/** The tag of `prefix` under `tagSecret` (what a key minted with that secret carries). */
export function keyTagOf(prefix: string, tagSecret: KeyTagSecret): string {
  checkTagSecret(tagSecret.version, tagSecret.secret);
  return tagWith(Buffer.from(tagSecret.secret, 'base64url'), tagSecret.version, prefix);
}

/**
 * A checker of prefix tags against every secret the caller accepts (version → secret; more than one
 * while a rotation is under way). Keys are prepared once; each check is one HMAC and a constant-time
 * compare. An unknown version fails like a wrong tag.
 */
export function keyTagVerifier(
  secrets: Readonly<Record<string, string>>,
): (key: { prefix: string; version: string; tag: string }) => boolean {
  const keys = new Map<string, KeyObject>();
  for (const [version, secret] of Object.entries(secrets)) {
    checkTagSecret(version, secret);
    keys.set(version, createSecretKey(Buffer.from(secret, 'base64url')));
  }
  if (keys.size === 0) throw new Error('at least one key tag secret is required');
  return ({ prefix, version, tag }) => {
    const key = keys.get(version);
    if (!key || tag.length !== API_KEY_TAG_LENGTH) return false;
    return timingSafeEqual(Buffer.from(tagWith(key, version, prefix), 'latin1'), Buffer.from(tag, 'latin1'));
  };
}
