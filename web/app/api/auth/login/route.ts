// GET /api/auth/login: starts the authorization-code + PKCE sign-in at the issuer.
import { type NextRequest, NextResponse } from 'next/server';
import { webConfig } from '../../../../lib/config.ts';
import { authorizationUrl } from '../../../../lib/oidc.ts';
import { newSignInAttempt } from '../../../../lib/pkce.ts';
import { seal } from '../../../../lib/seal.ts';
import { cookieOptions } from '../../../../lib/session.ts';
import { SIGN_IN_COOKIE, SIGN_IN_TTL_SECONDS } from '../../../../lib/session-types.ts';

export const dynamic = 'force-dynamic';

/** Keeps state, nonce and verifier in a sealed cookie scoped to the callback, then sends the browser to the issuer. */
export async function GET(request: NextRequest): Promise<Response> {
  const config = webConfig();
  const attempt = newSignInAttempt(request.nextUrl.searchParams.get('returnTo') ?? '/overview');
  let target: string;
  try {
    target = await authorizationUrl(config, attempt);
  } catch (error) {
    console.error(JSON.stringify({ msg: 'sign-in could not start', error: String(error) }));
    return NextResponse.redirect(new URL('/?error=issuer_unavailable', config.baseUrl), 303);
  }
  const exp = Math.floor(Date.now() / 1000) + SIGN_IN_TTL_SECONDS;
  const response = NextResponse.redirect(target, 303);
  response.cookies.set(
    SIGN_IN_COOKIE,
    seal(attempt, config.sessionSecret, 'sign-in', exp),
    cookieOptions(SIGN_IN_TTL_SECONDS, '/api/auth'),
  );
  return response;
}
