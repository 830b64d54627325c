// Reading, opening and ending the session cookie in server components and route handlers (server only).
import 'server-only';
import { randomBytes } from 'node:crypto';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { webConfig } from './config.ts';
import type { VerifiedSignIn } from './oidc.ts';
import { RevokedSessions } from './revoked-sessions.ts';
import { seal, unseal } from './seal.ts';
import { SESSION_COOKIE, type Session } from './session-types.ts';

// One list per server process, shared by every route bundle that imports this module.
const REVOKED = Symbol.for('llmo.web.revokedSessions');
function revokedSessions(): RevokedSessions {
  const holder = globalThis as { [REVOKED]?: RevokedSessions };
  holder[REVOKED] ??= new RevokedSessions(webConfig().sessionStoreFile);
  return holder[REVOKED];
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The session a cookie value holds, or undefined when missing, tampered with, expired or signed out. */
export async function readSession(value: string | undefined): Promise<Session | undefined> {
  const now = nowSeconds();
  const session = await unseal<Session>(value, webConfig().sessionSecret, 'session', now);
  if (!session || typeof session.sid !== 'string' || revokedSessions().isRevoked(session.sid, now)) {
    return undefined;
  }
  return session;
}

/** The current user's session, or undefined when signed out, tampered with or expired. */
export async function getSession(): Promise<Session | undefined> {
  return readSession((await cookies()).get(SESSION_COOKIE)?.value);
}

/** The session, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function requireSession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  return session;
}

/** A new session for a verified sign-in, sealed for its cookie. */
export async function openSession(signIn: VerifiedSignIn): Promise<{ value: string; maxAge: number }> {
  const session: Session = { sid: randomBytes(18).toString('base64url'), ...signIn };
  return {
    value: await seal(session, webConfig().sessionSecret, 'session', session.exp),
    maxAge: Math.max(0, session.exp - nowSeconds()),
  };
}

/** Ends a session server-side: its cookie, even a copy taken before, is refused from now on. */
export function revokeSession(session: Session): void {
  revokedSessions().revoke(session.sid, session.exp);
}

/** Cookie attributes shared by the dashboard's cookies: never readable by scripts, sent on top-level GETs. */
export function cookieOptions(maxAgeSeconds: number, path = '/') {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: webConfig().secureCookies,
    path,
    maxAge: maxAgeSeconds,
  };
}

/**
 * Whether a state-changing request comes from a page of this dashboard: its `Origin` (sent by browsers
 * on every POST) must be the dashboard's own. Guards the route handlers the way Next guards server actions.
 */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get('origin');
  return origin !== null && origin === new URL(webConfig().baseUrl).origin;
}
