// Where to send the browser after sign-in: only a page of this dashboard, judged by what `new URL()` makes of it.

/** The page a sign-in returns to when the requested one is missing or refused. */
export const DEFAULT_RETURN_TO = '/overview';

/**
 * Keeps post-sign-in redirects on this site. The candidate is resolved the way the browser will resolve
 * it (`new URL(candidate, base)` strips tab, CR and LF and treats `\` like `/`, so `/\t/evil.example`
 * becomes `//evil.example`), and only a same-origin result outside `/api/auth/` is kept. The answer is
 * that URL's path, query and fragment, checked once more so that it resolves to this origin again.
 */
export function safeReturnTo(candidate: string | null | undefined, baseUrl: string): string {
  if (!candidate?.startsWith('/')) return DEFAULT_RETURN_TO;
  const base = new URL(baseUrl);
  let resolved: URL;
  try {
    resolved = new URL(candidate, base);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (resolved.origin !== base.origin) return DEFAULT_RETURN_TO;
  const local = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // `/.//evil.example` resolves to the path `//evil.example`, which is another host once resolved again.
  if (new URL(local, base).origin !== base.origin) return DEFAULT_RETURN_TO;
  if (resolved.pathname.startsWith('/api/auth/')) return DEFAULT_RETURN_TO;
  return local;
}
