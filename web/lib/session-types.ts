// What the dashboard keeps about a signed-in user (sealed inside the session cookie).

/** A signed-in user: the verified ID token (sent to the API as the bearer) and the claims the UI shows. */
export interface Session {
  idToken: string;
  sub: string;
  email: string;
  orgId: string;
  /** From `cognito:groups` at sign-in; the API decides for itself on every call, this only shapes the UI. */
  role: 'admin' | 'member';
  /** Token expiry, seconds since the epoch; the session ends with it. */
  exp: number;
}

/** Cookie names: the session, and the state of a sign-in in progress. */
export const SESSION_COOKIE = 'llmo_session';
export const SIGN_IN_COOKIE = 'llmo_sign_in';
/** A sign-in must come back from the issuer within this many seconds. */
export const SIGN_IN_TTL_SECONDS = 600;
