// Turns verified JWT claims (Cognito claim names) into the caller identity every route is scoped by.
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

/** The authenticated caller. `org_id` bounds everything the caller can see or change. */
export type Caller = {
  sub: string;
  email: string;
  org_id: string;
  role: 'admin' | 'member';
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cognito groups arrive as a JSON array in the token; tolerate a single string too. */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim === 'string') return [claim];
  return [];
}

/**
 * Builds the caller from an already verified token payload.
 * A token without a usable `custom:org_id` is authentic but grants nothing here: 403 `no_organization`.
 */
export function callerFromClaims(payload: Record<string, unknown>): Caller {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new UnauthorizedError('invalid_token', 'Token has no subject');
  }
  const orgId = payload['custom:org_id'];
  if (typeof orgId !== 'string' || !UUID.test(orgId)) {
    throw new ForbiddenError('no_organization', 'Token carries no organization');
  }
  const email = typeof payload.email === 'string' ? payload.email : '';
  const role = groupsOf(payload['cognito:groups']).includes('admin') ? 'admin' : 'member';
  return { sub, email, org_id: orgId.toLowerCase(), role };
}

/** Throws 403 unless the caller is an org admin. */
export function requireAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new ForbiddenError('admin_required', 'This action needs the admin role');
}
