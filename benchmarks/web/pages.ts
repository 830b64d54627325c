// Dashboard page timings under `npm start` (production build): first visit of each page after the start,
// and warm visits, next to a trivial route of the same server as the baseline. Writes results/web.md.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ensureDashboardBuild } from '../../infra/local/web-build.ts';
import { StackProcess } from '../../infra/testing/stack-process.ts';

const WARM_VISITS = 10;
const PAGES = ['/overview', '/events', '/users', '/sessions', '/admin', '/admin/keys', '/admin/audit'];

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const round = (n: number): number => Math.round(n * 10) / 10;

/** Navigation timing of one visit: time to the response's last byte, and to the load event. */
async function visit(page: Page, url: string): Promise<{ response: number; load: number }> {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { response: nav.responseEnd - nav.startTime, load: nav.loadEventEnd - nav.startTime };
  });
}

async function main(): Promise<void> {
  const built = await ensureDashboardBuild((message) => process.stdout.write(`${message}\n`));
  const stack = new StackProcess();
  const loadAtStart = os.loadavg()[0]?.toFixed(1);
  await stack.prepare();
  const started = Date.now();
  const info = await stack.start();
  const startSeconds = (Date.now() - started) / 1000;
  const web = info.web_url ?? '';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const rows: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    // Baseline: a route that renders nothing and calls nothing, on the same server.
    const baseline: number[] = [];
    for (let i = 0; i < WARM_VISITS; i++) {
      const t = performance.now();
      await (await fetch(`${web}/api/health`)).text();
      baseline.push(performance.now() - t);
    }
    rows.push(
      `| /api/health (baseline, fetch) | — | ${round(pct(baseline, 50))} | ${round(pct(baseline, 95))} |`,
    );
    // Sign-in, timed as the first page a newcomer sees after the issuer's form.
    await page.goto(`${web}/overview`);
    await page.waitForURL((url) => url.toString().startsWith(info.issuer));
    await page.fill('input[name=email]', info.demo.admin_email);
    await page.fill('input[name=password]', info.demo.password);
    const signIn = performance.now();
    await page.click('button[type=submit]');
    await page.waitForURL(`${web}/overview`);
    await page.waitForLoadState('load');
    rows.push(`| sign-in → /overview loaded | ${round(performance.now() - signIn)} | — | — |`);
    for (const target of PAGES) {
      const first = await visit(page, `${web}${target}`);
      const warm: number[] = [];
      for (let i = 0; i < WARM_VISITS; i++) warm.push((await visit(page, `${web}${target}`)).load);
      rows.push(
        `| ${target} | ${round(first.load)} (response ${round(first.response)}) | ${round(pct(warm, 50))} | ${round(pct(warm, 95))} |`,
      );
    }
  } finally {
    await browser.close();
    await stack.destroy();
  }
  const loadAtEnd = os.loadavg()[0]?.toFixed(1);
  const text = `# Dashboard page timings

Method: \`benchmarks/web/README.md\`. Regenerate with \`npx tsx benchmarks/web/pages.ts\`.

Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, 1-minute load average ${loadAtStart} at the start and ${loadAtEnd} at the end (anything above the core count means other work shared the machine).

\`npm start\` until "Press Ctrl-C": ${round(startSeconds)} s with the production build already current${built.built ? ' (this run built it first; the build is not counted here)' : ''}.

Times in ms, measured in Chromium (navigation timing: start to load event; "response" is start to the last byte of the HTML). First visit: the first request for that page after the start. Warm: ${WARM_VISITS} further visits.

| page | first visit | warm p50 | warm p95 |
| --- | --- | --- | --- |
${rows.join('\n')}

Before this change \`npm start\` served \`next dev\`, which compiles each page on its first request: 51–67 s for a first visit, about 5 s for the warm explorer on this kind of machine.
`;
  const out = path.resolve(import.meta.dirname, '../results/web.md');
  await writeFile(out, text);
  process.stdout.write(text);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
