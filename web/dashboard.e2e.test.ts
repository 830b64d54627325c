// The dashboard in a real browser against `npm start`: sign-in through the issuer, live overview numbers,
// the event explorer and its drawer, traces, filters kept in the URL, users and sessions, export, creating (shown once) and revoking a key, the audit log, a member's limits, the
// security headers, refused open redirects and cross-site sign-outs, and a sign-out that holds.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackInfo } from '../infra/local/context.ts';
import { StackProcess } from '../infra/testing/stack-process.ts';

const stack = new StackProcess();
let info: StackInfo;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

// A bound for a busy machine, not a speed target (timings are in benchmarks/results/).
const PAGE_TIMEOUT_MS = 60_000;
/** Every console error or uncaught exception of any page, checked at the end (hydration, CSP, React). */
const consoleErrors: string[] = [];

/** Where a hydration error's evidence is kept (ignored by git), named in the failing assertion. */
const HYDRATION_DIR = path.join(import.meta.dirname, '..', '.data', 'e2e-hydration');

/**
 * Records the console errors and uncaught exceptions of every page a context opens. A hydration error
 * (React's minified #418/#423/#425 in the production build) also keeps the HTML the server sent for the
 * page and the DOM the client ended with, so a rare mismatch can be read after the run.
 */
function watchConsole(context: BrowserContext): void {
  context.on('page', (p) => {
    let served: Promise<string> = Promise.resolve('');
    p.on('response', (res) => {
      if (res.request().isNavigationRequest() && res.frame() === p.mainFrame()) {
        served = res.text().catch(() => '');
      }
    });
    const record = (text: string) => {
      const entry = `${p.url()}: ${text}`;
      consoleErrors.push(entry);
      if (!/#(418|423|425)\b|hydrat/i.test(text)) return;
      const base = path.join(
        HYDRATION_DIR,
        `${Date.now()}-${new URL(p.url()).pathname.replace(/\W+/g, '_')}`,
      );
      void (async () => {
        await mkdir(HYDRATION_DIR, { recursive: true });
        await writeFile(`${base}-server.html`, await served);
        await writeFile(`${base}-client.html`, await p.content().catch(() => ''));
        consoleErrors[consoleErrors.indexOf(entry)] = `${entry} (server HTML and client DOM: ${base}-*.html)`;
      })().catch(() => {}); // evidence only: the error itself is recorded above
    };
    p.on('console', (message) => {
      if (message.type() === 'error') record(message.text());
    });
    p.on('pageerror', (error) => record(error.message));
  });
}
const runId = Date.now().toString(36);
const model = `e2e-model-${runId}`;
const environment = `e2e-env-${runId}`;
const user = `user-${runId}`;
const sessionId = `session-${runId}`;
const traceId = randomBytes(16).toString('hex');
const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

/** Signs in through the issuer's form, starting from a protected page. */
async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const p = await context.newPage();
  p.setDefaultTimeout(PAGE_TIMEOUT_MS);
  await p.goto(`${info.web_url}/overview`);
  await p.waitForURL((url) => url.toString().startsWith(info.issuer));
  await p.fill('input[name=email]', email);
  await p.fill('input[name=password]', info.demo.password);
  await p.click('button[type=submit]');
  await p.waitForURL(`${info.web_url}/overview`);
  return p;
}

/** The integer shown by a metric card. */
async function metric(p: Page, id: string): Promise<number> {
  return Number(((await p.getByTestId(id).textContent()) ?? '').replace(/[^0-9]/g, ''));
}

beforeAll(async () => {
  await stack.prepare();
  info = await stack.start();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  admin = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  watchConsole(admin);
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stack.destroy();
});

describe('dashboard', () => {
  it('signs the admin in through the issuer and shows the overview', { timeout: 600_000 }, async () => {
    expect(info.web_url).toBeTruthy();
    page = await signIn(admin, info.demo.admin_email);
    await page.getByTestId('metric-events').waitFor();
    await expect(page.getByTestId('user-email').textContent()).resolves.toBe(info.demo.admin_email);
    const cookies = await admin.cookies(info.web_url);
    const session = cookies.find((c) => c.name === 'llmo_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    // The cookie is sealed (an encrypted JWT: dir + A256GCM): neither the ID token nor the email can be read.
    const parts = (session?.value ?? '').split('.');
    expect(parts).toHaveLength(5);
    expect(JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString())).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
    });
    for (const part of parts.slice(1)) {
      const clear = Buffer.from(part, 'base64url').toString('latin1');
      expect(clear).not.toContain(info.demo.admin_email);
      expect(clear).not.toContain('eyJ');
    }
  });

  it('the overview updates by itself to include newly sent events', { timeout: 300_000 }, async () => {
    const before = await metric(page, 'metric-events');
    const start = Date.now() - 2_000;
    const events = Array.from({ length: 5 }, (_, i) => ({
      schema_version: '1.0',
      event_id: `dash-${runId}-${i}`,
      // One trace of five calls, each starting 150 ms after the previous one.
      timestamp: new Date(start + i * 150).toISOString(),
      operation: 'chat',
      provider: 'openai',
      model,
      status: i === 0 ? 'error' : 'ok',
      ...(i === 0 ? { error: { type: 'rate_limit', message: 'slow down' } } : {}),
      duration_ms: 200 + i * 50,
      usage: { input_tokens: 100, output_tokens: 10 },
      cost_usd: 0.002,
      environment,
      user_id: user,
      session_id: sessionId,
      trace_id: traceId,
      span_id: randomBytes(8).toString('hex'),
      attributes: { route: '/chat', attempt: i },
    }));
    const res = await fetch(`${info.ingest_url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.demo.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(202);
    // No reload: the page refreshes itself every few seconds.
    await expect
      .poll(() => metric(page, 'metric-events'), { timeout: 120_000, interval: 1_000 })
      .toBeGreaterThanOrEqual(before + events.length);
    await expect(page.getByTestId('breakdown').textContent()).resolves.toContain(model);
    await expect(page.getByTestId('freshness').textContent()).resolves.toMatch(/^Data as of /);
    await expect(page.getByTestId('chart-note').textContent()).resolves.toContain('partial');
  });

  it('the event explorer filters by model and status', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/events?model=${model}`);
    await expect.poll(() => page.getByTestId('event-row').count(), { timeout: 60_000 }).toBe(5);
    await page.goto(`${info.web_url}/events?model=${model}&status=error`);
    await expect(page.getByTestId('event-row').count()).resolves.toBe(1);
  });

  it('opens an event in a drawer the URL keeps, with its error, user, session and attributes', {
    timeout: 300_000,
  }, async () => {
    const web = info.web_url ?? '';
    await page.goto(`${web}/events?model=${model}&status=error`);
    await page.getByTestId('event-open').first().click();
    const drawer = page.getByTestId('event-drawer');
    await drawer.waitFor();
    expect(new URL(page.url()).searchParams.get('event')).toBe(`dash-${runId}-0`);
    const text = (await drawer.textContent()) ?? '';
    for (const expected of ['rate_limit', 'slow down', environment, user, sessionId, traceId, 'route']) {
      expect(text).toContain(expected);
    }
    // Deep link: the same URL opens the same drawer.
    await page.reload();
    await drawer.waitFor();
  });

  it('breakdown sorts by a column and its rows lead to the filtered explorer', {
    timeout: 300_000,
  }, async () => {
    await page.goto(`${info.web_url}/overview?by=model&sort=error_rate&dir=desc`);
    await expect(page.getByTestId('sort-error_rate').getAttribute('aria-sort')).resolves.toBe('descending');
    await page.getByTestId('breakdown-link').filter({ hasText: model }).click();
    await page.waitForURL((url) => url.pathname === '/events' && url.searchParams.get('model') === model);
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(5);
  });

  it('follows a trace from the drawer to its timeline', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/events?model=${model}&status=error&event=dash-${runId}-0`);
    await page.getByTestId('drawer-trace').click();
    await page.waitForURL((url) => url.pathname === `/traces/${traceId}`);
    await expect(page.getByTestId('trace-span').count()).resolves.toBe(5);
    await expect(page.getByTestId('trace-totals').textContent()).resolves.toContain('5');
  });

  it('the overview keeps its filters in the URL and applies them to every figure', {
    timeout: 300_000,
  }, async () => {
    await page.goto(`${info.web_url}/overview?range=1h`);
    await page.getByTestId('overview-filters').locator('summary').click();
    // Names match ignoring case, as in the explorer.
    await page.fill('#filter-model', model.toUpperCase());
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('model') === model.toUpperCase());
    await expect.poll(() => metric(page, 'metric-events'), { timeout: 30_000 }).toBe(5);
    expect(await metric(page, 'metric-errors')).toBe(1);
    await expect(page.getByTestId('active-filters').first().textContent()).resolves.toContain(
      model.toUpperCase(),
    );
    // Error rate by error type, under the same filter: one rate_limit out of five calls.
    const types = (await page.getByTestId('error-types').textContent()) ?? '';
    expect(types).toContain('rate_limit');
    expect(types).toContain('20.0');
    // Range links and breakdown tabs keep the filter; breakdown rows lead to the explorer with it.
    await page.getByRole('link', { name: '6 hours' }).click();
    await page.waitForURL((url) => url.searchParams.get('range') === '6h');
    expect(new URL(page.url()).searchParams.get('model')).toBe(model.toUpperCase());
    await page.goto(`${info.web_url}/overview?range=1h&environment=${environment}&by=error_type`);
    await expect.poll(() => metric(page, 'metric-events'), { timeout: 30_000 }).toBe(5);
    await page.getByTestId('breakdown-link').filter({ hasText: 'rate_limit' }).click();
    await page.waitForURL(
      (url) =>
        url.pathname === '/events' &&
        url.searchParams.get('error_type') === 'rate_limit' &&
        url.searchParams.get('environment') === environment,
    );
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(1);
  });

  it.each([
    ['users', user, 'user_id'],
    ['sessions', sessionId, 'session_id'],
  ])(
    'the %s page lists calls, errors, tokens, cost and p95, sortable, linking to the events',
    {
      timeout: 300_000,
    },
    async (kind, id, filter) => {
      await page.goto(`${info.web_url}/${kind}?range=1h&sort=last_seen`);
      await expect(page.getByTestId('sort-last_seen').getAttribute('aria-sort')).resolves.toBe('descending');
      const row = page.getByTestId('actor-row').filter({ hasText: id });
      await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
      const cells = await row.locator('td').allTextContents();
      expect(cells[1]).toBe('5'); // calls
      expect(cells[2]).toBe('1'); // errors
      await page.getByTestId('sort-errors').click();
      await page.waitForURL((url) => url.searchParams.get('sort') === 'errors');
      await page.goto(`${info.web_url}/${kind}?range=1h&sort=last_seen`);
      await row.getByTestId('actor-link').click();
      await page.waitForURL((url) => url.pathname === '/events' && url.searchParams.get(filter) === id);
      await expect.poll(() => page.getByTestId('event-row').count()).toBe(5);
    },
  );

  it('exports the explorer’s current filter as CSV and JSONL downloads', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/events?range=1h&model=${model}`);
    for (const format of ['csv', 'jsonl'] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`export-${format}`).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^events-.*\\.${format}$`));
      const text = await readFile((await download.path()) ?? '', 'utf8');
      const lines = text.trimEnd().split(/\r?\n/);
      if (format === 'csv') {
        expect(lines[0]?.startsWith('event_id,timestamp,')).toBe(true);
        expect(
          lines
            .slice(1)
            .map((l) => l.split(',')[0])
            .sort(),
        ).toEqual(Array.from({ length: 5 }, (_, i) => `dash-${runId}-${i}`));
      } else {
        const events = lines.map((l) => JSON.parse(l));
        expect(events.map((e) => e.event_id).sort()).toEqual(
          Array.from({ length: 5 }, (_, i) => `dash-${runId}-${i}`),
        );
        expect(events.every((e) => e.model === model && e.user_id === user)).toBe(true);
      }
    }
  });

  it('offers all projects and says so for an unknown project', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/overview?project=all`);
    expect(await metric(page, 'metric-events')).toBeGreaterThanOrEqual(5);
    await page.goto(`${info.web_url}/overview?project=00000000-0000-4000-8000-000000000000`);
    await page.getByTestId('project-not-found').waitFor();
    await expect(page.getByTestId('metric-events').count()).resolves.toBe(0);
  });

  it('follows the system’s dark mode', { timeout: 120_000 }, async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.goto(`${info.web_url}/overview`);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(3, 7, 18)');
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const [name, target] of [
      ['overview', '/overview'],
      ['events', `/events?model=${model}&status=error&event=dash-${runId}-0`],
    ]) {
      await page.goto(`${info.web_url}${target}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-dark-1440.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(249, 250, 251)');
  });

  it('fits every page into 390 px and writes screenshots at 1440 and 390 px', {
    timeout: 600_000,
  }, async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const pages: Array<[string, string]> = [
      ['overview', '/overview'],
      ['events', `/events?model=${model}`],
      ['event-drawer', `/events?model=${model}&status=error&event=dash-${runId}-0`],
      ['trace', `/traces/${traceId}`],
      ['overview-filtered', `/overview?range=1h&model=${model}`],
      ['users', '/users?range=1h&sort=last_seen'],
      ['sessions', '/sessions?range=1h&sort=last_seen'],
      ['admin', '/admin'],
      ['admin-keys', '/admin/keys'],
      ['admin-audit', '/admin/audit'],
    ];
    for (const [name, target] of pages) {
      await page.setViewportSize({ width: 1440, height: 1000 });
      await page.goto(`${info.web_url}${target}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-1440.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${info.web_url}${target}`);
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${name} at 390 px`).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('an admin creates a key, sees it once, and revokes it after confirming', {
    timeout: 300_000,
  }, async () => {
    await page.goto(`${info.web_url}/admin/keys`);
    await page.fill('#new-key-name', `dash-${runId}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = (await page.getByTestId('new-key-value').textContent()) ?? '';
    expect(shown).toMatch(/^lok_[0-9A-Za-z]{12}\.[0-9A-Za-z]{45}$/);
    // A ready-to-paste snippet with the real ingest URL and the key.
    const snippet = (await page.getByTestId('ingest-snippet').textContent()) ?? '';
    expect(snippet).toContain(`${info.ingest_url}/v1/events`);
    expect(snippet).toContain(`LLM_OBSERVER_API_KEY='${shown}'`);
    expect(snippet).toContain(`LLM_OBSERVER_ENDPOINT='${info.ingest_url}'`);
    const prefix = shown.slice(4, 16);
    const row = page.getByTestId(`key-${prefix}`);
    await expect(row.textContent()).resolves.toContain('active');

    // Shown once: after a reload the page holds only the prefix.
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(shown.split('.')[1]);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('revoked');
  });

  it('the audit log shows the admin’s actions', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/admin/audit`);
    const table = (await page.getByTestId('audit-table').textContent()) ?? '';
    expect(table).toContain('api_key.create');
    expect(table).toContain('api_key.revoke');
    expect(table).toContain(info.demo.admin_email);
  });

  it('a member sees no admin section and gets a clear refusal there', { timeout: 300_000 }, async () => {
    const member = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    watchConsole(member);
    const p = await signIn(member, info.demo.member_email);
    await p.getByTestId('metric-events').waitFor();
    await expect(p.getByRole('navigation', { name: 'Main' }).textContent()).resolves.not.toContain('Admin');
    await p.goto(`${info.web_url}/admin`);
    await expect(p.getByTestId('error-forbidden').textContent()).resolves.toContain('admins');
    await member.close();
  });

  it('sends the security headers on every kind of route', { timeout: 120_000 }, async () => {
    for (const path of ['/', '/overview', '/signed-out', '/api/auth/login', '/api/health', '/no-such-page']) {
      const res = await fetch(`${info.web_url}${path}`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
    // A fresh nonce per response.
    const [a, b] = await Promise.all(
      [1, 2].map(async () => (await fetch(`${info.web_url}/`)).headers.get('content-security-policy')),
    );
    expect(a).not.toBe(b);
  });

  it('refuses to be framed', { timeout: 120_000 }, async () => {
    // Its own context: Chromium reports the refusal as a console error, which is expected here.
    const framer = await browser.newContext();
    await framer.addCookies(await admin.cookies(info.web_url));
    const p = await framer.newPage();
    // A page that answers 200 without a session: a cross-site frame gets no Lax cookie, and a page
    // needing one would redirect to the issuer instead of being refused.
    await p.setContent(`<iframe src="${info.web_url}/signed-out" width="800" height="600"></iframe>`);
    // Chromium replaces a refused frame with its error page: the dashboard never renders inside it.
    await expect
      .poll(() => p.frames().map((f) => f.url()), { timeout: 20_000 })
      .toContain('chrome-error://chromewebdata/');
    await framer.close();
  });

  it.each([
    '/%09/evil.example/x',
    '/%0A/evil.example/x',
    '/%0D%5Cevil.example/x',
    '/%5C%5Cevil.example',
    '//evil.example',
    '/.//evil.example',
    'https://evil.example/',
  ])('after sign-in stays on the dashboard for returnTo=%s', { timeout: 120_000 }, async (returnTo) => {
    // The issuer still knows the admin, so sign-in completes without the form.
    const web = info.web_url ?? '';
    await page.goto(`${web}/api/auth/login?returnTo=${returnTo}`);
    await page.waitForURL((url) => url.toString().startsWith(web) && url.pathname !== '/api/auth/callback');
    expect(new URL(page.url()).origin).toBe(new URL(web).origin);
    expect(new URL(page.url()).pathname).toBe('/overview');
  });

  it('refuses a cross-site sign-out (logout CSRF)', { timeout: 120_000 }, async () => {
    const cookie = (await admin.cookies(info.web_url)).find((c) => c.name === 'llmo_session');
    expect(cookie).toBeDefined();
    for (const origin of ['https://evil.example', undefined]) {
      const res = await fetch(`${info.web_url}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie: `llmo_session=${cookie?.value}`, ...(origin ? { origin } : {}) },
        redirect: 'manual',
      });
      expect(res.status).toBe(403);
    }
    // Still signed in.
    await page.goto(`${info.web_url}/overview`);
    await page.getByTestId('metric-events').waitFor();
  });

  it('signing out ends the session here and at the issuer, and a copied cookie is refused', {
    timeout: 300_000,
  }, async () => {
    await page.goto(`${info.web_url}/overview`);
    const copied = (await admin.cookies(info.web_url)).find((c) => c.name === 'llmo_session');
    expect(copied).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Our own page, not the issuer's confirmation.
    await page.waitForURL(`${info.web_url}/signed-out`);
    await page.getByTestId('signed-out').waitFor();
    const cookies = await admin.cookies(info.web_url);
    expect(cookies.find((c) => c.name === 'llmo_session')).toBeUndefined();

    // Visiting again asks for the password: the dashboard does not sign the user back in.
    await page.goto(`${info.web_url}/overview`);
    await page.waitForURL((url) => url.toString().startsWith(info.issuer));
    await page.locator('input[name=password]').waitFor();

    // The cookie copied before sign-out no longer opens a page or runs an action.
    const replay = await fetch(`${info.web_url}/overview`, {
      headers: { cookie: `llmo_session=${copied?.value}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(307);
    expect(replay.headers.get('location')).toMatch(/^\/api\/auth\/login/);
    const replayed = await browser.newContext();
    await replayed.addCookies([{ ...(copied as NonNullable<typeof copied>) }]);
    const p = await replayed.newPage();
    await p.goto(`${info.web_url}/admin`);
    await p.waitForURL((url) => url.toString().startsWith(info.issuer));
    await replayed.close();
  });

  it('logged no console error on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
