// Token verification against hostile tokens: every one of them must be a 401, never a caller.

import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { authenticate } from './authenticate.ts';
import { createTokenVerifier, type TokenVerifier } from './verifier.ts';

const ISSUER = 'http://issuer.test';
const AUDIENCE = 'llmo-dashboard';
const JWKS_URI = `${ISSUER}/jwks`;
const ORG = '0b5c7a1e-4d2f-4c61-9a1b-3f2e8d7c6b5a';

type Signer = { privateKey: CryptoKey; jwk: JWK };
let good: Signer;
let other: Signer;
let verifier: TokenVerifier;

async function signer(kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, jwk };
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-1',
    email: 'ada@example.com',
    'custom:org_id': ORG,
    'cognito:groups': ['admin'],
    token_use: 'id',
    ...overrides,
  };
}

async function mint(
  opts: { with?: Signer; kid?: string; iss?: string; aud?: string; exp?: number; nbf?: number } & {
    claims?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const s = opts.with ?? good;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(opts.claims ?? claims())
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? String(s.jwk.kid) })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(now - 5)
    .setExpirationTime(opts.exp ?? now + 600);
  if (opts.nbf !== undefined) jwt.setNotBefore(opts.nbf);
  return jwt.sign(s.privateKey);
}

beforeAll(async () => {
  good = await signer('good');
  other = await signer('other');
  // The JWKS is served from memory: the real verifier code runs, no network involved.
  const body = new TextEncoder().encode(JSON.stringify({ keys: [good.jwk] }));
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async (uri: string) => {
        if (uri !== JWKS_URI) throw new Error(`unexpected JWKS uri ${uri}`);
        return body.buffer.slice(0) as ArrayBuffer;
      },
    },
  });
  verifier = createTokenVerifier(
    { kind: 'oidc', issuer: ISSUER, audience: AUDIENCE, jwksUri: JWKS_URI, tokenUse: 'id' },
    { jwksCache },
  );
});

async function expectUnauthorized(header: string | undefined): Promise<void> {
  await expect(authenticate(header, verifier)).rejects.toBeInstanceOf(UnauthorizedError);
}

describe('authenticate', () => {
  it('accepts a good admin token and builds the caller from Cognito claim names', async () => {
    const caller = await authenticate(`Bearer ${await mint()}`, verifier);
    expect(caller).toEqual({ sub: 'user-1', email: 'ada@example.com', org_id: ORG, role: 'admin' });
  });

  it('makes a caller without the admin group a member', async () => {
    const token = await mint({ claims: claims({ 'cognito:groups': ['analysts'] }) });
    expect((await authenticate(`Bearer ${token}`, verifier)).role).toBe('member');
    const none = await mint({ claims: claims({ 'cognito:groups': undefined }) });
    expect((await authenticate(`Bearer ${none}`, verifier)).role).toBe('member');
  });

  it('rejects a missing or non-bearer Authorization header', async () => {
    await expectUnauthorized(undefined);
    await expectUnauthorized('');
    await expectUnauthorized(`Basic ${Buffer.from('a:b').toString('base64')}`);
    await expectUnauthorized('Bearer ');
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthorized(`Bearer ${await mint({ exp: now - 60 })}`);
  });

  it('rejects a token that is not valid yet', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthorized(`Bearer ${await mint({ nbf: now + 600 })}`);
  });

  it('rejects a token signed by another key under the trusted kid', async () => {
    await expectUnauthorized(`Bearer ${await mint({ with: other, kid: 'good' })}`);
  });

  it('rejects a token signed by an unknown key', async () => {
    await expectUnauthorized(`Bearer ${await mint({ with: other })}`);
  });

  it('rejects a token from another issuer', async () => {
    await expectUnauthorized(`Bearer ${await mint({ iss: 'http://evil.test' })}`);
  });

  it('rejects a token for another audience', async () => {
    await expectUnauthorized(`Bearer ${await mint({ aud: 'some-other-client' })}`);
  });

  it('rejects an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT(claims())
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .encode();
    await expectUnauthorized(`Bearer ${token}`);
  });

  it('rejects an access token where an ID token is required', async () => {
    await expectUnauthorized(`Bearer ${await mint({ claims: claims({ token_use: 'access' }) })}`);
  });

  it('rejects garbage', async () => {
    await expectUnauthorized('Bearer not.a.jwt');
    await expectUnauthorized('Bearer abc');
  });

  it('answers 403 no_organization for an authentic token without an org claim', async () => {
    const token = await mint({ claims: claims({ 'custom:org_id': undefined }) });
    const err = await authenticate(`Bearer ${token}`, verifier).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForbiddenError);
    expect((err as ForbiddenError).code).toBe('no_organization');
    const bad = await mint({ claims: claims({ 'custom:org_id': 'not-a-uuid' }) });
    await expect(authenticate(`Bearer ${bad}`, verifier)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('never puts the token into the error message', async () => {
    const token = await mint({ aud: 'x' });
    const err = (await authenticate(`Bearer ${token}`, verifier).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain(token);
    expect(err.message).not.toContain(token.split('.')[2]);
  });
});
