// API Gateway v2 adapter: event → Request → router → structured result; authorizer claims are never trusted.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { TEST_KEY_TAG } from '../../../infra/testing/key-tag.ts';
import { createTokenVerifier } from '../auth/verifier.ts';
import { createRegionalApi } from '../router.ts';
import { apiGatewayV2Result, requestFromApiGatewayV2 } from './apigw-v2.ts';

function event(
  overrides: Partial<APIGatewayProxyEventV2> & { method?: string } = {},
): APIGatewayProxyEventV2 {
  const { method = 'GET', ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/me',
    rawQueryString: '',
    headers: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: '/v1/me', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:12:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
    },
    isBase64Encoded: false,
    ...rest,
  } as APIGatewayProxyEventV2;
}

// Never reached: every request here is answered before any database work.
const api = createRegionalApi({
  verifier: createTokenVerifier({
    kind: 'oidc',
    issuer: 'http://127.0.0.1:9',
    audience: 'x',
    jwksUri: 'http://127.0.0.1:9/jwks',
  }),
  db: {} as pg.Pool,
  clock: () => new Date(),
  keyTagSecret: TEST_KEY_TAG,
});

describe('API Gateway v2 adapter', () => {
  it('rebuilds method, URL, query, headers and a base64 body', async () => {
    const req = requestFromApiGatewayV2(
      event({
        method: 'POST',
        rawPath: '/v1/projects',
        rawQueryString: 'a=1&b=two',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
        body: Buffer.from('{"name":"p"}').toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.example.com/v1/projects?a=1&b=two');
    expect(req.headers.get('authorization')).toBe('Bearer x');
    expect(await req.json()).toEqual({ name: 'p' });
  });

  it('answers health without a token and turns the Response into a structured result', async () => {
    const result = await apiGatewayV2Result(
      await api(requestFromApiGatewayV2(event({ rawPath: '/v1/health' }))),
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok' });
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    expect(result.headers?.['x-request-id']).toMatch(/[0-9a-f-]{36}/);
  });

  it('ignores authorizer claims: without a verifiable bearer token the answer is 401', async () => {
    const withClaims = event();
    (withClaims.requestContext as unknown as Record<string, unknown>).authorizer = {
      jwt: {
        claims: {
          sub: 'x',
          'custom:org_id': '0b5c7a1e-4d2f-4c61-9a1b-3f2e8d7c6b5a',
          'cognito:groups': '[admin]',
        },
        scopes: null,
      },
    };
    const missing = await apiGatewayV2Result(await api(requestFromApiGatewayV2(withClaims)));
    expect(missing.statusCode).toBe(401);
    expect(JSON.parse(missing.body ?? '').error.code).toBe('missing_token');
    withClaims.headers = { authorization: 'Bearer not.a.token' };
    const forged = await apiGatewayV2Result(await api(requestFromApiGatewayV2(withClaims)));
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body ?? '').error.code).toBe('invalid_token');
  });

  it('404 for an unknown path, 405 for a known path with another method', async () => {
    expect((await api(requestFromApiGatewayV2(event({ rawPath: '/v2/nothing' })))).status).toBe(404);
    expect(
      (await api(requestFromApiGatewayV2(event({ method: 'DELETE', rawPath: '/v1/audit-logs' })))).status,
    ).toBe(405);
  });
});
