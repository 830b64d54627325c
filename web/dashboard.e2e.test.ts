// The dashboard in a real browser against `npm start`: sign-in through the issuer, live overview numbers,
// the event explorer, creating (shown once) and revoking a key, the audit log, and a member's limits.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackInfo } from '../infra/local/context.ts';
import { StackProcess } from '../infra/testing/stack-process.ts';

const stack = new StackProcess();
let info: StackInfo;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

// Pages compile on first request under `next dev`; a bound for that on a busy machine, not a speed target.
const PAGE_TIMEOUT_MS = 240_000;
const runId = Date.now().toString(36);
const model = `e2e-model-${runId}`;

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

/**
 * Asks once for every page while the browser starts, so `next dev` compiles them together instead of
 * one by one inside the tests (unauthenticated requests compile the page, then redirect to sign-in).
 */
async function warmUp(): Promise<void> {
  const paths = [
    '/overview',
    '/events',
    '/admin',
    '/admin/keys',
    '/admin/audit',
    '/api/auth/login',
    '/api/auth/callback',
  ];
  await Promise.all(
    paths.map((p) =>
      fetch(`${info.web_url}${p}`, {
        redirect: 'manual',
        signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
      }).catch(() => undefined),
    ),
  );
}

beforeAll(async () => {
  await stack.prepare();
  info = await stack.start();
  const warm = warmUp();
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
  admin = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await warm;
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
    // The cookie is sealed: no token (a JWT starts with eyJ) can be read from it.
    expect(session?.value).not.toContain('eyJ');
  });

  it('the overview updates by itself to include newly sent events', { timeout: 300_000 }, async () => {
    const before = await metric(page, 'metric-events');
    const events = Array.from({ length: 5 }, (_, i) => ({
      schema_version: '1.0',
      event_id: `dash-${runId}-${i}`,
      timestamp: new Date().toISOString(),
      operation: 'chat',
      provider: 'openai',
      model,
      status: i === 0 ? 'error' : 'ok',
      ...(i === 0 ? { error: { type: 'rate_limit', message: 'slow down' } } : {}),
      duration_ms: 200 + i * 50,
      usage: { input_tokens: 100, output_tokens: 10 },
      cost_usd: 0.002,
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
    await page.screenshot({ path: '/tmp/llmo-dashboard-overview.png', fullPage: true });
  });

  it('the event explorer filters by model and status', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/events?model=${model}`);
    await expect.poll(() => page.getByTestId('event-row').count(), { timeout: 60_000 }).toBe(5);
    await page.goto(`${info.web_url}/events?model=${model}&status=error`);
    await expect(page.getByTestId('event-row').count()).resolves.toBe(1);
  });

  it('an admin creates a key, sees it once, and revokes it after confirming', {
    timeout: 300_000,
  }, async () => {
    await page.goto(`${info.web_url}/admin/keys`);
    await page.fill('#new-key-name', `dash-${runId}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = (await page.getByTestId('new-key-value').textContent()) ?? '';
    expect(shown).toMatch(/^lok_[0-9A-Za-z]{12}\.[0-9A-Za-z]{45}$/);
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
    const member = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const p = await signIn(member, info.demo.member_email);
    await p.getByTestId('metric-events').waitFor();
    await expect(p.getByRole('navigation', { name: 'Main' }).textContent()).resolves.not.toContain('Admin');
    await p.goto(`${info.web_url}/admin`);
    await expect(p.getByTestId('error-forbidden').textContent()).resolves.toContain('admins');
    await member.close();
  });

  it('signing out ends the session', { timeout: 300_000 }, async () => {
    await page.goto(`${info.web_url}/overview`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/overview'));
    const cookies = await admin.cookies(info.web_url);
    expect(cookies.find((c) => c.name === 'llmo_session')).toBeUndefined();
  });
});
