// Cookie values sealed as encrypted JWTs (jose: `dir` + A256GCM) with a key derived per purpose from the session secret.
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/** What a sealed value is for; a value sealed for one purpose never opens for another. */
export type SealPurpose = 'session' | 'sign-in';

const keys = new Map<string, Uint8Array>();

function keyFor(secret: string, purpose: SealPurpose): Uint8Array {
  const id = `${purpose}\0${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = new Uint8Array(hkdfSync('sha256', secret, 'llmo-web', `cookie:${purpose}`, 32));
    keys.set(id, key);
  }
  return key;
}

/**
 * Encrypts `value` with an expiry (`exp`, seconds since the epoch) so that a stolen or replayed cookie
 * stops working on time, whatever the browser does with Max-Age. The purpose is the token's audience.
 */
export function seal(value: unknown, secret: string, purpose: SealPurpose, exp: number): Promise<string> {
  return new EncryptJWT({ v: value })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setAudience(purpose)
    .setExpirationTime(exp)
    .encrypt(keyFor(secret, purpose));
}

/** Decrypts a sealed value; undefined if it was tampered with, sealed for another purpose or key, or expired. */
export async function unseal<T>(
  sealed: string | undefined,
  secret: string,
  purpose: SealPurpose,
  nowSeconds: number,
): Promise<T | undefined> {
  if (!sealed || sealed.length > 8192) return undefined;
  try {
    const { payload } = await jwtDecrypt(sealed, keyFor(secret, purpose), {
      audience: purpose,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ['exp'],
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      clockTolerance: 0,
    });
    return payload.v as T;
  } catch {
    return undefined;
  }
}
