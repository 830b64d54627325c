// Talking to the OIDC issuer (Cognito in AWS, the local issuer in the stack): discovery, code exchange, ID token check.
import 'server-only';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { WebConfig } from './config-schema.ts';
import { codeChallenge, type SignInAttempt, sameSecret } from './pkce.ts';
import type { Session } from './session-types.ts';

/** A sign-in that cannot be completed; the message is safe to log (no code, token or state). */
export class SignInError extends Error {
  override name = 'SignInError';
  readonly status = 400;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
}

let discovery: Promise<Discovery> | undefined;

/** The issuer's endpoints from its discovery document, fetched once (again after a failure). */
export function discover(config: WebConfig): Promise<Discovery> {
  discovery ??= (async () => {
    const res = await fetch(`${config.issuer}/.well-known/openid-configuration`, {
      cache: 'no-store',
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new SignInError(`issuer discovery answered ${res.status}`);
    const doc = (await res.json()) as Partial<Discovery>;
    if (!doc.authorization_endpoint || !doc.token_endpoint || !doc.jwks_uri) {
      throw new SignInError('issuer discovery lacks endpoints');
    }
    return doc as Discovery;
  })().catch((error: unknown) => {
    discovery = undefined;
    throw error;
  });
  return discovery;
}

/** Where the issuer calls us back with the code. */
export const redirectUri = (config: WebConfig): string => `${config.baseUrl}/api/auth/callback`;

/** The issuer's authorization URL for one attempt (code flow, S256 PKCE, state, nonce). */
export async function authorizationUrl(config: WebConfig, attempt: SignInAttempt): Promise<string> {
  const { authorization_endpoint } = await discover(config);
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri(config),
    response_type: 'code',
    scope: 'openid email',
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: codeChallenge(attempt.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

// One JWKS cache per server process, fetching with the platform fetch (works on Vercel and locally).
const jwksCache = new SimpleJwksCache({
  fetcher: { fetch: async (uri: string) => (await fetch(uri, { cache: 'no-store' })).arrayBuffer() },
});

/**
 * Exchanges the code (with the PKCE verifier) at the token endpoint, verifies the ID token's signature,
 * issuer, audience, expiry and nonce, and returns the session it establishes.
 */
export async function completeSignIn(
  config: WebConfig,
  code: string,
  attempt: SignInAttempt,
): Promise<Session> {
  const endpoints = await discover(config);
  const res = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(config),
      client_id: config.clientId,
      code_verifier: attempt.verifier,
    }).toString(),
    cache: 'no-store',
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new SignInError(`token endpoint answered ${res.status}`);
  const tokens = (await res.json()) as { id_token?: unknown };
  if (typeof tokens.id_token !== 'string') throw new SignInError('token endpoint returned no ID token');
  const verifier = JwtVerifier.create(
    { issuer: config.issuer, audience: config.clientId, jwksUri: endpoints.jwks_uri },
    { jwksCache },
  );
  let payload: Record<string, unknown>;
  try {
    payload = (await verifier.verify(tokens.id_token)) as Record<string, unknown>;
  } catch (cause) {
    throw new SignInError('ID token failed verification', { cause });
  }
  if (!sameSecret(attempt.nonce, typeof payload.nonce === 'string' ? payload.nonce : undefined)) {
    throw new SignInError('ID token nonce does not match this sign-in');
  }
  if (payload.token_use !== undefined && payload.token_use !== 'id') throw new SignInError('not an ID token');
  const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'] : [];
  return {
    idToken: tokens.id_token,
    sub: String(payload.sub),
    email: typeof payload.email === 'string' ? payload.email : '',
    orgId: typeof payload['custom:org_id'] === 'string' ? payload['custom:org_id'] : '',
    role: groups.includes('admin') ? 'admin' : 'member',
    exp: typeof payload.exp === 'number' ? payload.exp : Math.floor(Date.now() / 1000) + 300,
  };
}
