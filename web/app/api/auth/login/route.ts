// GET /api/auth/login: starts the authorization-code + PKCE sign-in at the issuer.
import { type NextRequest, NextResponse } from 'next/server';
import { webConfig } from '../../../../lib/config.ts';
import { webLog } from '../../../../lib/log.ts';
import { authorizationUrl, newSignInAttempt } from '../../../../lib/oidc.ts';
import { safeReturnTo } from '../../../../lib/return-to.ts';
import { seal } from '../../../../lib/seal.ts';
import { cookieOptions } from '../../../../lib/session.ts';
import { SIGN_IN_COOKIE, SIGN_IN_TTL_SECONDS, SIGNED_OUT_COOKIE } from '../../../../lib/session-types.ts';

export const dynamic = 'force-dynamic';

/** Keeps state, nonce and verifier in a sealed cookie scoped to the callback, then sends the browser to the issuer. */
export async function GET(request: NextRequest): Promise<Response> {
  const config = webConfig();
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('returnTo'), config.baseUrl);
  const attempt = newSignInAttempt(returnTo);
  // Signed out on this browser: ask for the password even if the issuer still remembers the user.
  const forceLogin = request.cookies.has(SIGNED_OUT_COOKIE);
  let target: string;
  try {
    target = await authorizationUrl(config, attempt, forceLogin);
  } catch (error) {
    webLog().error('sign-in could not start', { error: error instanceof Error ? error.message : 'unknown' });
    return NextResponse.redirect(new URL('/?error=issuer_unavailable', config.baseUrl), 303);
  }
  const exp = Math.floor(Date.now() / 1000) + SIGN_IN_TTL_SECONDS;
  const response = NextResponse.redirect(target, 303);
  response.cookies.set(
    SIGN_IN_COOKIE,
    await seal(attempt, config.sessionSecret, 'sign-in', exp),
    cookieOptions(SIGN_IN_TTL_SECONDS, '/api/auth'),
  );
  return response;
}
