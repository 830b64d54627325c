// GET /api/auth/callback: the issuer's redirect back; checks state, exchanges the code, opens the session.
import { type NextRequest, NextResponse } from 'next/server';
import { webConfig } from '../../../../lib/config.ts';
import { webLog } from '../../../../lib/log.ts';
import { completeSignIn } from '../../../../lib/oidc.ts';
import { safeReturnTo } from '../../../../lib/return-to.ts';
import { unseal } from '../../../../lib/seal.ts';
import { cookieOptions, openSession } from '../../../../lib/session.ts';
import {
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  SIGNED_OUT_COOKIE,
  type SignInAttempt,
} from '../../../../lib/session-types.ts';

export const dynamic = 'force-dynamic';

/** Any failure ends on the start page with a reason code; codes, tokens and state are never logged. */
export async function GET(request: NextRequest): Promise<Response> {
  const config = webConfig();
  const params = request.nextUrl.searchParams;
  const attempt = await unseal<SignInAttempt>(
    request.cookies.get(SIGN_IN_COOKIE)?.value,
    config.sessionSecret,
    'sign-in',
    Math.floor(Date.now() / 1000),
  );
  const fail = (reason: string) => {
    const response = NextResponse.redirect(new URL(`/?error=${reason}`, config.baseUrl), 303);
    response.cookies.set(SIGN_IN_COOKIE, '', cookieOptions(0, '/api/auth'));
    return response;
  };
  if (params.get('error')) return fail('denied');
  if (!attempt || !params.get('code')) return fail('sign_in_expired');
  try {
    const signIn = await completeSignIn(config, params, attempt);
    const session = await openSession(signIn);
    // Checked again here: the cookie's value was checked when sealed, but this is where it is followed.
    const target = new URL(safeReturnTo(attempt.returnTo, config.baseUrl), config.baseUrl);
    const response = NextResponse.redirect(target, 303);
    response.cookies.set(SESSION_COOKIE, session.value, cookieOptions(session.maxAge));
    response.cookies.set(SIGN_IN_COOKIE, '', cookieOptions(0, '/api/auth'));
    response.cookies.set(SIGNED_OUT_COOKIE, '', cookieOptions(0));
    return response;
  } catch (error) {
    webLog().warn('sign-in failed', { error: error instanceof Error ? error.message : 'unknown' });
    return fail('sign_in_failed');
  }
}
