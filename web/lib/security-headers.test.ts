// The dashboard's CSP: nonce-only scripts, no framing, eval only in development, sign-out may reach the issuer.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from './security-headers.ts';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d] as const));

describe('contentSecurityPolicy', () => {
  it('allows only scripts with this response nonce and forbids framing', () => {
    const csp = directives(contentSecurityPolicy('abc123', { dev: false, issuer: 'https://auth.example/x' }));
    expect(csp.get('script-src')).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(csp.get('object-src')).toBe("object-src 'none'");
    expect(csp.get('form-action')).toBe("form-action 'self' https://auth.example");
    expect(csp.get('connect-src')).toBe("connect-src 'self'");
  });

  it('adds eval and WebSockets for next dev only', () => {
    const csp = directives(contentSecurityPolicy('n', { dev: true }));
    expect(csp.get('script-src')).toContain("'unsafe-eval'");
    expect(csp.get('connect-src')).toContain('ws:');
    expect(csp.get('form-action')).toBe("form-action 'self'");
  });

  it('sends anti-framing and no-sniff headers everywhere', () => {
    const byName = Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value]));
    expect(byName['X-Frame-Options']).toBe('DENY');
    expect(byName['X-Content-Type-Options']).toBe('nosniff');
    expect(byName['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
  });
});
