// PKCE (RFC 7636, S256), state and nonce values for the authorization-code sign-in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** One sign-in attempt's secrets: kept in a short-lived httpOnly cookie until the callback. */
export interface SignInAttempt {
  state: string;
  nonce: string;
  verifier: string;
  /** Local path to return to after sign-in. */
  returnTo: string;
}

/** 32 random bytes, base64url (43 characters: within PKCE's 43–128 range). */
const random = (): string => randomBytes(32).toString('base64url');

/** A fresh attempt with unguessable state, nonce and code verifier. */
export function newSignInAttempt(returnTo: string): SignInAttempt {
  return { state: random(), nonce: random(), verifier: random(), returnTo: safeReturnTo(returnTo) };
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Constant-time equality of two state (or nonce) strings; false for anything missing. */
export function sameSecret(expected: string, actual: string | null | undefined): boolean {
  if (typeof actual !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Keeps post-sign-in redirects on this site: only absolute local paths, never `//host` or `/\host`
 * (browsers treat both as another origin), so the callback cannot be used as an open redirect.
 */
export function safeReturnTo(candidate: string | null | undefined): string {
  if (!candidate?.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) {
    return '/overview';
  }
  if (candidate.startsWith('/api/auth/')) return '/overview';
  return candidate;
}
