// Authenticated encryption of cookie values (AES-256-GCM) with a key derived from the session secret.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a sealed value is for; a value sealed for one purpose never opens for another. */
export type SealPurpose = 'session' | 'sign-in';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyFor(secret: string, purpose: SealPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'llmo-web', `cookie:${purpose}`, 32));
}

/**
 * Encrypts `value` as JSON with an expiry (`exp`, seconds since the epoch) so that a stolen or replayed
 * cookie stops working on time, whatever the browser does with Max-Age.
 */
export function seal(value: unknown, secret: string, purpose: SealPurpose, exp: number): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(JSON.stringify({ exp, value }), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Decrypts a sealed value; undefined if it was tampered with, sealed for another purpose or key, or expired. */
export function unseal<T>(
  sealed: string | undefined,
  secret: string,
  purpose: SealPurpose,
  nowSeconds: number,
): T | undefined {
  if (!sealed || !/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined;
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const json = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    const parsed = JSON.parse(json.toString('utf8')) as { exp?: unknown; value?: unknown };
    if (typeof parsed.exp !== 'number' || parsed.exp <= nowSeconds) return undefined;
    return parsed.value as T;
  } catch {
    return undefined;
  }
}
