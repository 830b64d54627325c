// Reading the session cookie in server components and route handlers (server only).
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { webConfig } from './config.ts';
import { unseal } from './seal.ts';
import { SESSION_COOKIE, type Session } from './session-types.ts';

/** The current user's session, or undefined when signed out, tampered with or expired. */
export async function getSession(): Promise<Session | undefined> {
  const jar = await cookies();
  return unseal<Session>(
    jar.get(SESSION_COOKIE)?.value,
    webConfig().sessionSecret,
    'session',
    Math.floor(Date.now() / 1000),
  );
}

/** The session, or a redirect to sign-in that comes back to `returnTo` afterwards. */
export async function requireSession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  return session;
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
