// Token lifetime rules with tokens signed by the real local issuer key and verified over its JWKS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MintOptions, mintToken } from '../../../infra/local/mint-token.ts';
import { LOCAL_CLIENT_ID } from '../../../infra/local/oidc.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { CLOCK_SKEW_SECONDS, MAX_TOKEN_LIFETIME_SECONDS } from './verifier.ts';

let h: Harness;
let orgId: string;

beforeAll(async () => {
  h = await startHarness();
  ({ orgId } = await h.org());
});
afterAll(() => h.close());

async function me(
  options: Partial<MintOptions>,
): Promise<{ status: number; code?: string; message?: string }> {
  const token = await mintToken(
    { sub: 'sub-lifetime', email: 'lifetime@example.test', orgId, role: 'member' },
    { issuer: h.issuer.issuer, audience: LOCAL_CLIENT_ID, key: h.key, ...options },
  );
  const res = await h.call('GET', '/v1/me', { token });
  return { status: res.status, code: res.body.error?.code, message: res.body.error?.message };
}

describe('token lifetime', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts an ordinary token, one living exactly the maximum, and one issued within the clock skew', async () => {
    expect((await me({})).status).toBe(200);
    expect((await me({ expiresInSeconds: MAX_TOKEN_LIFETIME_SECONDS })).status).toBe(200);
    expect((await me({ issuedAt: now() + CLOCK_SKEW_SECONDS / 2, expiresInSeconds: 600 })).status).toBe(200);
  });

  it('refuses a signed token without exp: it would never expire', async () => {
    expect(await me({ expiresInSeconds: null })).toMatchObject({
      status: 401,
      code: 'invalid_token',
      message: expect.stringContaining('exp'),
    });
  });

  it('refuses a token without iat, since its lifetime cannot be bounded', async () => {
    expect(await me({ issuedAt: null })).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('refuses lifetimes past the issuer maximum', async () => {
    expect(await me({ expiresInSeconds: MAX_TOKEN_LIFETIME_SECONDS + 1 })).toMatchObject({
      status: 401,
      code: 'invalid_token',
      message: expect.stringContaining('lifetime'),
    });
    expect(await me({ expiresInSeconds: 10 * 365 * 86_400 })).toMatchObject({ status: 401 });
  });

  it('refuses a token issued in the future beyond the clock skew', async () => {
    expect(await me({ issuedAt: now() + 3 * CLOCK_SKEW_SECONDS, expiresInSeconds: 600 })).toMatchObject({
      status: 401,
      code: 'invalid_token',
      message: expect.stringContaining('future'),
    });
  });
});
