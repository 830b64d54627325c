// GET /api/auth/callback: the issuer's redirect back; checks state, exchanges the code, opens the session.
import { type NextRequest, NextResponse } from 'next/server';
import { webConfig } from '../../../../lib/config.ts';
import { completeSignIn } from '../../../../lib/oidc.ts';
import { type SignInAttempt, safeReturnTo, sameSecret } from '../../../../lib/pkce.ts';
import { seal, unseal } from '../../../../lib/seal.ts';
import { cookieOptions } from '../../../../lib/session.ts';
import { SESSION_COOKIE, SIGN_IN_COOKIE } from '../../../../lib/session-types.ts';

export const dynamic = 'force-dynamic';

/** Any failure ends on the start page with a reason code; codes, tokens and state are never logged. */
export async function GET(request: NextRequest): Promise<Response> {
  const config = webConfig();
  const now = Math.floor(Date.now() / 1000);
  const params = request.nextUrl.searchParams;
  const attempt = unseal<SignInAttempt>(
    request.cookies.get(SIGN_IN_COOKIE)?.value,
    config.sessionSecret,
    'sign-in',
    now,
  );
  const fail = (reason: string) => {
    const response = NextResponse.redirect(new URL(`/?error=${reason}`, config.baseUrl), 303);
    response.cookies.set(SIGN_IN_COOKIE, '', cookieOptions(0, '/api/auth'));
    return response;
  };
  if (params.get('error')) return fail('denied');
  const code = params.get('code');
  if (!attempt || !code || !sameSecret(attempt.state, params.get('state'))) return fail('sign_in_expired');
  try {
    const session = await completeSignIn(config, code, attempt);
    const response = NextResponse.redirect(new URL(safeReturnTo(attempt.returnTo), config.baseUrl), 303);
    response.cookies.set(
      SESSION_COOKIE,
      seal(session, config.sessionSecret, 'session', session.exp),
      cookieOptions(Math.max(0, session.exp - now)),
    );
    response.cookies.set(SIGN_IN_COOKIE, '', cookieOptions(0, '/api/auth'));
    return response;
  } catch (error) {
    console.error(
      JSON.stringify({ msg: 'sign-in failed', error: error instanceof Error ? error.message : 'unknown' }),
    );
    return fail('sign_in_failed');
  }
}
