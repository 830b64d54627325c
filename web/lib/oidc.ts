// Talking to the OIDC issuer (Cognito in AWS, the local issuer in the stack) through openid-client:
// discovery, the authorization-code flow with PKCE, ID token verification, and the issuer's sign-out URL.
import 'server-only';
import * as oidc from 'openid-client';
import type { WebConfig } from './config-schema.ts';
import type { SignInAttempt } from './session-types.ts';

/** A sign-in that cannot be completed; the message is safe to log (no code, token or state). */
export class SignInError extends Error {
  override name = 'SignInError';
  readonly status = 400;
}

/** The ID token claims a session is made of. */
export interface VerifiedSignIn {
  idToken: string;
  sub: string;
  email: string;
  orgId: string;
  role: 'admin' | 'member';
  exp: number;
}

let configuration: Promise<oidc.Configuration> | undefined;

/**
 * The issuer's configuration from its discovery document, fetched once (again after a failure). ID
 * tokens are checked for their signature against the issuer's JWKS too, not only for their claims.
 */
export function issuerConfiguration(config: WebConfig): Promise<oidc.Configuration> {
  configuration ??= oidc
    .discovery(
      new URL(config.issuer),
      config.clientId,
      { id_token_signed_response_alg: 'RS256' },
      oidc.None(),
      {
        // The local issuer speaks plain HTTP on localhost; Cognito is always HTTPS.
        execute: config.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      },
    )
    .then((found) => {
      oidc.enableNonRepudiationChecks(found);
      return found;
    })
    .catch((error: unknown) => {
      configuration = undefined;
      throw new SignInError('issuer discovery failed', { cause: error });
    });
  return configuration;
}

/** Where the issuer calls us back with the code. */
export const redirectUri = (config: WebConfig): string => `${config.baseUrl}/api/auth/callback`;

/** A fresh attempt with unguessable state, nonce and PKCE code verifier. */
export function newSignInAttempt(returnTo: string): SignInAttempt {
  return {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo,
  };
}

/**
 * The issuer's authorization URL for one attempt (code flow, S256 PKCE, state, nonce). `forceLogin`
 * asks for the password again (`prompt=login`), used after a sign-out on this browser.
 */
export async function authorizationUrl(
  config: WebConfig,
  attempt: SignInAttempt,
  forceLogin = false,
): Promise<string> {
  const issuer = await issuerConfiguration(config);
  return oidc
    .buildAuthorizationUrl(issuer, {
      redirect_uri: redirectUri(config),
      scope: 'openid email',
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(attempt.verifier),
      code_challenge_method: 'S256',
      ...(forceLogin ? { prompt: 'login' } : {}),
    })
    .toString();
}

/**
 * Exchanges the code (with the PKCE verifier) at the token endpoint after checking state (and the
 * issuer, when the response names it), then verifies the ID token's signature, issuer, audience, expiry
 * and nonce. `query` is the callback's query string as received.
 */
export async function completeSignIn(
  config: WebConfig,
  query: URLSearchParams,
  attempt: SignInAttempt,
): Promise<VerifiedSignIn> {
  const issuer = await issuerConfiguration(config);
  // The registered redirect URI with the issuer's parameters: the URL the issuer actually sent us to,
  // whatever host name the server saw the request under.
  const current = new URL(redirectUri(config));
  current.search = query.toString();
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(issuer, current, {
      pkceCodeVerifier: attempt.verifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
  } catch (cause) {
    throw new SignInError(`code exchange failed: ${errorCode(cause)}`, { cause });
  }
  const claims = tokens.claims();
  if (!claims || !tokens.id_token) throw new SignInError('token endpoint returned no ID token');
  if (claims.token_use !== undefined && claims.token_use !== 'id') throw new SignInError('not an ID token');
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
  return {
    idToken: tokens.id_token,
    sub: claims.sub,
    email: typeof claims.email === 'string' ? claims.email : '',
    orgId: typeof claims['custom:org_id'] === 'string' ? claims['custom:org_id'] : '',
    role: groups.includes('admin') ? 'admin' : 'member',
    exp: claims.exp,
  };
}

/** A loggable reason for a failed exchange: the library's error code, never a token or code. */
function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, error: oauthError } = error as { code?: unknown; error?: unknown };
    if (typeof oauthError === 'string') return oauthError;
    if (typeof code === 'string') return code;
  }
  return 'unknown';
}

/**
 * Where the browser ends the issuer's session and comes back to `returnTo` (a page of ours), without
 * putting the ID token in the URL: the issuer's `end_session_endpoint` with `client_id` (RP-initiated
 * logout), or Cognito's `/logout?client_id&logout_uri` on its hosted domain, which its discovery
 * document does not name. Undefined when the issuer offers neither.
 */
export async function endSessionUrl(config: WebConfig, returnTo: string): Promise<string | undefined> {
  const issuer = await issuerConfiguration(config);
  const metadata = issuer.serverMetadata();
  if (metadata.end_session_endpoint) {
    return oidc
      .buildEndSessionUrl(issuer, { client_id: config.clientId, post_logout_redirect_uri: returnTo })
      .toString();
  }
  if (new URL(config.issuer).hostname.startsWith('cognito-idp.') && metadata.authorization_endpoint) {
    const url = new URL('/logout', metadata.authorization_endpoint);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('logout_uri', returnTo);
    return url.toString();
  }
  return undefined;
}
