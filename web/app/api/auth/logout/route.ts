// POST /api/auth/logout: ends the dashboard session, then the issuer's (RP-initiated logout).
import { type NextRequest, NextResponse } from 'next/server';
import { webConfig } from '../../../../lib/config.ts';
import { discover } from '../../../../lib/oidc.ts';
import { unseal } from '../../../../lib/seal.ts';
import { cookieOptions } from '../../../../lib/session.ts';
import { SESSION_COOKIE, type Session } from '../../../../lib/session-types.ts';

export const dynamic = 'force-dynamic';

/** Clears the cookie first, so the dashboard is signed out even if the issuer cannot be reached. */
export async function POST(request: NextRequest): Promise<Response> {
  const config = webConfig();
  const session = unseal<Session>(
    request.cookies.get(SESSION_COOKIE)?.value,
    config.sessionSecret,
    'session',
    Math.floor(Date.now() / 1000),
  );
  let target = new URL('/', config.baseUrl).toString();
  try {
    const { end_session_endpoint } = await discover(config);
    if (end_session_endpoint) {
      const url = new URL(end_session_endpoint);
      url.searchParams.set('client_id', config.clientId);
      url.searchParams.set('post_logout_redirect_uri', `${config.baseUrl}/`);
      if (session) url.searchParams.set('id_token_hint', session.idToken);
      target = url.toString();
    }
  } catch {
    // Issuer down: the local sign-out above still holds.
  }
  const response = NextResponse.redirect(target, 303);
  response.cookies.set(SESSION_COOKIE, '', cookieOptions(0));
  return response;
}
