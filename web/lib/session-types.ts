// What the dashboard keeps about a signed-in user (sealed inside the session cookie) and about a sign-in in progress.

/** A signed-in user: the verified ID token (sent to the API as the bearer) and the claims the UI shows. */
export interface Session {
  /** Random id of this session; sign-out puts it on the revocation list. */
  sid: string;
  idToken: string;
  sub: string;
  email: string;
  orgId: string;
  /** From `cognito:groups` at sign-in; the API decides for itself on every call, this only shapes the UI. */
  role: 'admin' | 'member';
  /** Token expiry, seconds since the epoch; the session ends with it. */
  exp: number;
}

/** One sign-in attempt's secrets: kept in a short-lived sealed httpOnly cookie until the callback. */
export interface SignInAttempt {
  state: string;
  nonce: string;
  /** PKCE code verifier (S256). */
  verifier: string;
  /** Local path to return to after sign-in (already checked by `safeReturnTo`). */
  returnTo: string;
}

/** Cookie names: the session, a sign-in in progress, and "signed out on this browser" (asks for the password again). */
export const SESSION_COOKIE = 'llmo_session';
export const SIGN_IN_COOKIE = 'llmo_sign_in';
export const SIGNED_OUT_COOKIE = 'llmo_signed_out';
/** A sign-in must come back from the issuer within this many seconds. */
export const SIGN_IN_TTL_SECONDS = 600;
/** How long after a sign-out the next sign-in asks for the password even if the issuer remembers the user. */
export const SIGNED_OUT_TTL_SECONDS = 12 * 3600;
