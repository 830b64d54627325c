// The security headers of every dashboard response, and the Content-Security-Policy with a per-request nonce.

/** Headers that need no per-request value; set on every route, static files included. */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/**
 * The page's CSP. Scripts run only with this response's nonce (Next adds it to its own inline and
 * bootstrap scripts) and what those load (`strict-dynamic`); `next dev` also needs `eval` for hot reload
 * and a WebSocket. Styles allow inline attributes, which the chart library sets. Forms may post to this
 * site, and sign-out's redirect may go to the issuer. Nothing may frame the dashboard.
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; issuer?: string }): string {
  const issuerOrigin = options.issuer ? safeOrigin(options.issuer) : undefined;
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${issuerOrigin ? ` ${issuerOrigin}` : ''}`,
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
