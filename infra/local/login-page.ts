// The HTML pages of the local issuer (stand in for Cognito's hosted UI): sign-in form and sign-out.

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A self-contained sign-in page posting email and password back to the interaction. */
export function renderLoginPage(uid: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · LLM Observer (local)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;display:grid;place-items:center;height:100vh;margin:0}
form{background:#fff;padding:2rem;border-radius:.75rem;box-shadow:0 1px 3px #0002;display:grid;gap:.75rem;width:20rem}
input{padding:.5rem;border:1px solid #cbd5e1;border-radius:.375rem}button{padding:.6rem;background:#2563eb;color:#fff;border:0;border-radius:.375rem}
.err{color:#b91c1c}</style></head><body>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<h1 style="font-size:1.25rem;margin:0">Sign in to LLM Observer</h1>
<p style="margin:0;color:#64748b">Local issuer (stands in for Cognito)</p>
${error ? `<p class="err" role="alert">${escapeHtml(error)}</p>` : ''}
<label>Email <input name="email" type="email" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;
}

/**
 * The sign-out page: `form` is the issuer's own form (action and anti-CSRF token); it is sent at once
 * with `logout=yes`, which ends the issuer session as Cognito's `/logout` does, then the issuer sends the
 * browser to the dashboard's signed-out page. The button is there for browsers without JavaScript.
 */
export function renderLogoutPage(form: string): string {
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out · LLM Observer (local)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;display:grid;place-items:center;height:100vh;margin:0}
main{background:#fff;padding:2rem;border-radius:.75rem;box-shadow:0 1px 3px #0002;width:20rem}
button{padding:.6rem;background:#2563eb;color:#fff;border:0;border-radius:.375rem;width:100%}</style></head><body>
<main><h1 style="font-size:1.25rem;margin:0 0 1rem">Signing out…</h1>${confirmed}
<button type="submit" form="op.logoutForm">Sign out</button></main>
<script>document.getElementById('op.logoutForm').submit()</script></body></html>`;
}
