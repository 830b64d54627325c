// The local issuer's RSA signing key (JWK), created once and kept in .data/ so tokens survive restarts.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A private RSA JWK with `kid`, `alg` and `use` set. */
export type SigningJwk = JWK & { kid: string; alg: 'RS256' };

/** A fresh RS256 signing key. */
export async function generateSigningJwk(): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/** Loads the key from `file`, creating it on first use. The file is readable by its owner only. */
export async function loadOrCreateSigningJwk(file: string): Promise<SigningJwk> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SigningJwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const jwk = await generateSigningJwk();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

/** The public half of a signing JWK, as published at the issuer's jwks_uri. */
export function publicJwk(jwk: SigningJwk): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use };
}
