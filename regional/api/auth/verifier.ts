// JWT verification with aws-jwt-verify: the Cognito verifier in AWS, the generic verifier for the local OIDC issuer.
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError } from 'aws-jwt-verify/error';
import { type JwksCache, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { ServiceUnavailableError, UnauthorizedError } from '../errors.ts';

/** Where tokens come from: a Cognito user pool (AWS) or any OIDC issuer (the local stack). */
export type AuthConfig =
  | { kind: 'cognito'; userPoolId: string; clientId: string }
  | {
      kind: 'oidc';
      issuer: string;
      audience: string;
      /** Defaults to the `jwks_uri` of the issuer's discovery document. */
      jwksUri?: string;
      /** When set, the `token_use` claim must equal it (the local issuer mimics Cognito ID tokens). */
      tokenUse?: 'id' | 'access';
    };

/** Verifies a raw JWT and returns its payload; throws `UnauthorizedError` for any bad token. */
export type TokenVerifier = { verify(token: string): Promise<Record<string, unknown>> };

/**
 * A JWKS cache that fetches with the platform `fetch`: aws-jwt-verify's Node fetcher speaks https only,
 * and the local issuer is plain http.
 */
export function fetchJwksCache(): JwksCache {
  return new SimpleJwksCache({
    fetcher: {
      fetch: async (uri: string) => {
        const res = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
        if (!res.ok) throw new Error(`JWKS fetch failed with HTTP ${res.status}`);
        return res.arrayBuffer();
      },
    },
  });
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`OIDC discovery failed with HTTP ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error('OIDC discovery document has no jwks_uri');
  return doc.jwks_uri;
}

type RawVerify = (token: string) => Promise<Record<string, unknown>>;

function cognitoVerify(config: Extract<AuthConfig, { kind: 'cognito' }>, jwksCache?: JwksCache): RawVerify {
  // ID tokens: they carry `email`, `custom:org_id` and `cognito:groups`; their `aud` is the app client id.
  const verifier = CognitoJwtVerifier.create(
    { userPoolId: config.userPoolId, clientId: config.clientId, tokenUse: 'id' },
    jwksCache ? { jwksCache } : undefined,
  );
  return async (token) => (await verifier.verify(token)) as Record<string, unknown>;
}

function oidcVerify(config: Extract<AuthConfig, { kind: 'oidc' }>, jwksCache: JwksCache): RawVerify {
  let verifier: Promise<RawVerify> | undefined;
  const build = async (): Promise<RawVerify> => {
    const jwksUri = config.jwksUri ?? (await discoverJwksUri(config.issuer));
    const v = JwtVerifier.create(
      {
        issuer: config.issuer,
        audience: config.audience,
        jwksUri,
        customJwtCheck: ({ payload }) => {
          if (config.tokenUse && payload.token_use !== config.tokenUse) {
            throw new UnauthorizedError('invalid_token', 'Token has the wrong token_use');
          }
        },
      },
      { jwksCache },
    );
    return async (token) => (await v.verify(token)) as Record<string, unknown>;
  };
  return async (token) => {
    verifier ??= build().catch((err: unknown) => {
      verifier = undefined; // retry discovery on the next request rather than failing forever
      throw err;
    });
    return (await verifier)(token);
  };
}

/** Longest token lifetime accepted (`exp - iat`): Cognito's own maximum for ID tokens, one day. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
/** How far ahead of our clock a token's `iat` may be (the issuer's clock may run slightly fast). */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The lifetime rules aws-jwt-verify leaves to us: it checks `exp` only when present, so a signed
 * token without one would never expire. Requires numeric `exp` and `iat`, `iat` no later than
 * now + skew, and `exp - iat` at most the issuer maximum (so no token outlives a day, whatever its
 * claims say). Throws 401 `invalid_token` naming the rule.
 */
export function checkTokenLifetime(
  payload: Record<string, unknown>,
  nowSeconds: number,
  limits: { maxLifetimeSeconds: number; clockSkewSeconds: number } = {
    maxLifetimeSeconds: MAX_TOKEN_LIFETIME_SECONDS,
    clockSkewSeconds: CLOCK_SKEW_SECONDS,
  },
): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new UnauthorizedError('invalid_token', 'Token has no expiry (exp)');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw new UnauthorizedError('invalid_token', 'Token has no issue time (iat)');
  }
  if (iat > nowSeconds + limits.clockSkewSeconds) {
    throw new UnauthorizedError('invalid_token', 'Token is issued in the future (iat)');
  }
  if (exp - iat > limits.maxLifetimeSeconds) {
    throw new UnauthorizedError(
      'invalid_token',
      `Token lifetime exceeds ${limits.maxLifetimeSeconds} seconds (exp - iat)`,
    );
  }
}

/** Creates the verifier for the configured token source; `clock` is for tests of the lifetime rules. */
export function createTokenVerifier(
  config: AuthConfig,
  options: { jwksCache?: JwksCache; clock?: () => Date } = {},
): TokenVerifier {
  const raw =
    config.kind === 'cognito'
      ? cognitoVerify(config, options.jwksCache)
      : oidcVerify(config, options.jwksCache ?? fetchJwksCache());
  const clock = options.clock ?? (() => new Date());
  return {
    async verify(token) {
      try {
        const payload = await raw(token);
        checkTokenLifetime(payload, Math.floor(clock().getTime() / 1000));
        return payload;
      } catch (err) {
        if (err instanceof UnauthorizedError) throw err;
        if (err instanceof JwtBaseError && !(err instanceof FetchError)) {
          // The library's message names the failed check (expired, issuer, audience…) without echoing the token.
          throw new UnauthorizedError('invalid_token', `Invalid token: ${err.message}`, { cause: err });
        }
        throw new ServiceUnavailableError('Cannot verify tokens right now', { cause: err });
      }
    },
  };
}
