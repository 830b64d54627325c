// Runs before every dashboard route: a fresh CSP nonce per request, handed to Next (which stamps it on
// its scripts) and sent to the browser with the policy.
import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy } from './lib/security-headers.ts';

export function middleware(request: NextRequest): NextResponse {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV === 'development',
    issuer: process.env.LLMO_WEB_ISSUER,
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Every route except Next's immutable static files (which carry the other headers from next.config).
  matcher: [{ source: '/((?!_next/static|_next/image).*)' }],
};
