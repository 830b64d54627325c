// POST /api/auth/logout: ends the dashboard session server-side, then the issuer's, and lands on /signed-out.
import { type NextRequest, NextResponse } from 'next/server';
import { webConfig } from '../../../../lib/config.ts';
import { endSessionUrl } from '../../../../lib/oidc.ts';
import { cookieOptions, isSameOrigin, readSession, revokeSession } from '../../../../lib/session.ts';
import { SESSION_COOKIE, SIGNED_OUT_COOKIE, SIGNED_OUT_TTL_SECONDS } from '../../../../lib/session-types.ts';

export const dynamic = 'force-dynamic';

/**
 * Only a form of this dashboard may sign the user out (a cross-site POST gets 403). The session id goes
 * on the revocation list first, so the dashboard is signed out even if the issuer cannot be reached,
 * and a copy of the cookie taken before is refused from now on.
 */
export async function POST(request: NextRequest): Promise<Response> {
  if (!isSameOrigin(request.headers)) {
    return new NextResponse('Sign-out must come from the dashboard itself.', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const config = webConfig();
  const session = await readSession(request.cookies.get(SESSION_COOKIE)?.value);
  if (session) revokeSession(session);
  const signedOut = `${config.baseUrl}/signed-out`;
  let target = signedOut;
  try {
    target = (await endSessionUrl(config, signedOut)) ?? signedOut;
  } catch {
    // Issuer down: the dashboard's own sign-out above still holds.
  }
  const response = NextResponse.redirect(target, 303);
  response.cookies.set(SESSION_COOKIE, '', cookieOptions(0));
  response.cookies.set(SIGNED_OUT_COOKIE, '1', cookieOptions(SIGNED_OUT_TTL_SECONDS));
  return response;
}
