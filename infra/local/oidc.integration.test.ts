// The local issuer: discovery, JWKS, CLI-minted tokens and a full authorization-code + PKCE sign-in.
import { createHash, randomBytes } from 'node:crypto';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningJwk, type SigningJwk } from './issuer-keys.ts';
import { mintToken } from './mint-token.ts';
import { LOCAL_CLIENT_ID, type RunningIssuer, startLocalIssuer } from './oidc.ts';
import { hashPassword, type LocalUser, userSub } from './users.ts';

const REDIRECT = 'http://localhost:3999/api/auth/callback';
const httpJwks = new SimpleJwksCache({
  fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
});

let issuer: RunningIssuer;
let key: SigningJwk;
const user: LocalUser = {
  sub: userSub('ada@example.test'),
  email: 'ada@example.test',
  orgId: '7f1d1b7e-3f7a-4b8e-9d53-1b2c3d4e5f60',
  role: 'admin',
  passwordHash: hashPassword('correct horse'),
};

beforeAll(async () => {
  key = await generateSigningJwk();
  issuer = await startLocalIssuer({
    port: 0,
    key,
    users: async () => [user],
    redirectUris: [REDIRECT],
    cookieSecret: randomBytes(16).toString('hex'),
  });
});
afterAll(() => issuer.stop());

function verifier() {
  return JwtVerifier.create(
    { issuer: issuer.issuer, audience: LOCAL_CLIENT_ID, jwksUri: issuer.jwksUri },
    { jwksCache: httpJwks },
  );
}

describe('local issuer', () => {
  it('publishes discovery and a JWKS without private parts', async () => {
    const discovery = (await (
      await fetch(`${issuer.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(issuer.issuer);
    expect(discovery.jwks_uri).toBe(issuer.jwksUri);
    expect(discovery.code_challenge_methods_supported).toContain('S256');
    const jwks = (await (await fetch(issuer.jwksUri)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((k) => k.kid)).toContain(key.kid);
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d');
  });

  it('a minted token verifies against the JWKS with Cognito claim names', async () => {
    const token = await mintToken(
      { sub: user.sub, email: user.email, orgId: user.orgId, role: 'member' },
      { issuer: issuer.issuer, audience: LOCAL_CLIENT_ID, key },
    );
    const payload = await verifier().verify(token);
    expect(payload['custom:org_id']).toBe(user.orgId);
    expect(payload['cognito:groups']).toEqual([]);
    expect(payload.token_use).toBe('id');
  });

  it('rejects a token signed by a key the issuer does not publish', async () => {
    const token = await mintToken(
      { sub: user.sub, email: user.email, orgId: user.orgId, role: 'admin' },
      {
        issuer: issuer.issuer,
        audience: LOCAL_CLIENT_ID,
        key: { ...(await generateSigningJwk()), kid: key.kid },
      },
    );
    await expect(verifier().verify(token)).rejects.toThrow();
  });

  it('signs a user in with the code flow and PKCE, refusing a wrong password', async () => {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
      const res = await fetch(new URL(url, issuer.issuer), {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...value] = (pair ?? '').split('=');
        if (name) jar.set(name, value.join('='));
      }
      return res;
    };
    const verifierCode = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifierCode).digest('base64url');
    const auth = new URLSearchParams({
      client_id: LOCAL_CLIENT_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid email',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st4te',
    });
    let res = await go(`/auth?${auth}`);
    const interaction = res.headers.get('location') ?? '';
    expect(interaction).toMatch(/^\/interaction\//);
    expect((await (await go(interaction)).text()).includes('<form')).toBe(true);

    const post = (password: string) =>
      go(interaction, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: user.email, password }).toString(),
      });
    expect((await post('wrong')).status).toBe(401);
    res = await post('correct horse');
    // Follow the issuer's redirects (resume → consent interaction → resume) until it calls us back.
    for (let hops = 0; hops < 10 && !(res.headers.get('location') ?? '').startsWith(REDIRECT); hops++) {
      res = await go(res.headers.get('location') ?? '');
    }
    const callback = new URL(res.headers.get('location') ?? '');
    expect(callback.searchParams.get('state')).toBe('st4te');
    const code = callback.searchParams.get('code') ?? '';

    const tokenRes = await fetch(`${issuer.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: LOCAL_CLIENT_ID,
        code_verifier: verifierCode,
      }).toString(),
    });
    expect(tokenRes.status).toBe(200);
    const tokens = (await tokenRes.json()) as { id_token: string };
    const claims = await verifier().verify(tokens.id_token);
    expect(claims.sub).toBe(user.sub);
    expect(claims.email).toBe(user.email);
    expect(claims['custom:org_id']).toBe(user.orgId);
    expect(claims['cognito:groups']).toEqual(['admin']);
  });
});
