// Reads the bearer token of a request, verifies it and returns the caller.
import { UnauthorizedError } from '../errors.ts';
import { type Caller, callerFromClaims } from './caller.ts';
import type { TokenVerifier } from './verifier.ts';

/** Verifies `Authorization: Bearer <JWT>`; 401 when missing or invalid, 403 when it names no organization. */
export async function authenticate(
  authorization: string | null | undefined,
  verifier: TokenVerifier,
): Promise<Caller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  if (!token) throw new UnauthorizedError('missing_token', 'Missing bearer token');
  const payload = await verifier.verify(token);
  return callerFromClaims(payload);
}
