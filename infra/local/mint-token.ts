// Signs Cognito-shaped ID tokens with the local issuer's key (the CLI's and the tests' way to get a token).
import { importJWK, SignJWT } from 'jose';
import type { SigningJwk } from './issuer-keys.ts';

/** The claims a Cognito ID token carries that the regional API reads. */
export interface TokenSubject {
  sub: string;
  email: string;
  orgId: string;
  role: 'admin' | 'member';
}

/** Where the token is valid, and for how long. */
export interface MintOptions {
  issuer: string;
  /** The app client id (Cognito ID tokens carry it as `aud`). */
  audience: string;
  key: SigningJwk;
  /** Lifetime from `iat` (default one hour); `null` leaves `exp` out (negative tests only). */
  expiresInSeconds?: number | null;
  /** Overrides for negative tests (expired, not yet valid). Seconds since the epoch; `null` leaves `iat` out. */
  issuedAt?: number | null;
  notBefore?: number;
}

/**
 * An RS256 JWT with `token_use: "id"`, `email`, `custom:org_id` and `cognito:groups` (admins are in the
 * `admin` group), verifiable against the issuer's JWKS.
 */
export async function mintToken(subject: TokenSubject, options: MintOptions): Promise<string> {
  const now = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    token_use: 'id',
    email: subject.email,
    email_verified: true,
    'custom:org_id': subject.orgId,
    'cognito:groups': subject.role === 'admin' ? ['admin'] : [],
    auth_time: now,
  })
    .setProtectedHeader({ alg: 'RS256', kid: options.key.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(subject.sub);
  if (options.issuedAt !== null) jwt.setIssuedAt(now);
  if (options.expiresInSeconds !== null) jwt.setExpirationTime(now + (options.expiresInSeconds ?? 3600));
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(await importJWK(options.key, 'RS256'));
}
