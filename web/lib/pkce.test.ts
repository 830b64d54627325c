// PKCE, state and return-path helpers of the sign-in.
import { describe, expect, it } from 'vitest';
import { codeChallenge, newSignInAttempt, safeReturnTo, sameSecret } from './pkce.ts';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes fresh, distinct, URL-safe state, nonce and verifier for every attempt', () => {
    const a = newSignInAttempt('/events');
    const b = newSignInAttempt('/events');
    for (const value of [a.state, a.nonce, a.verifier]) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.state, a.nonce, a.verifier, b.state, b.nonce, b.verifier]).size).toBe(6);
    expect(a.returnTo).toBe('/events');
  });
});

describe('sameSecret', () => {
  it('accepts only the identical value', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('abc', null)).toBe(false);
    expect(sameSecret('abc', undefined)).toBe(false);
  });
});

describe('safeReturnTo', () => {
  it('keeps local paths with their query', () => {
    expect(safeReturnTo('/events?model=gpt-4o&status=error')).toBe('/events?model=gpt-4o&status=error');
    expect(safeReturnTo('/admin/keys')).toBe('/admin/keys');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
    null,
    undefined,
    '/api/auth/login',
  ])('sends %s to the overview instead', (candidate) => {
    expect(safeReturnTo(candidate)).toBe('/overview');
  });
});
