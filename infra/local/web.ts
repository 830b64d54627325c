// Local-stack service: the Next.js dashboard (a production build, or `next dev` for hot reload), on the local API and issuer.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import type { LocalContext, RunningService } from './context.ts';
import { forgetChild, recordChild } from './leftovers.ts';
import { ensureDashboardBuild, NEXT_BIN, WEB_DIR } from './web-build.ts';

const READY_TIMEOUT_MS = 90_000;
/** `next dev` writes its own output folder, so it never overwrites the production build in `.next`. */
const DEV_DIST_DIR = '.next-dev';

/**
 * Starts the dashboard on `ctx.config.ports.web` and resolves once Next says it is ready. By default it
 * serves a production build (`next build` runs only when web/'s sources changed since the last one), so
 * every page answers at once; `LLMO_WEB_MODE=dev` (`npm run dev:web`) runs `next dev` with hot reload.
 */
export async function startWeb(ctx: LocalContext): Promise<RunningService> {
  const apiUrl = ctx.services.get('api')?.url;
  if (!apiUrl) throw new Error('the dashboard needs the regional API: start it before the web service');
  const port = ctx.config.ports.web;
  const url = `http://localhost:${port}`;
  const ingestUrl = ctx.services.get('edge')?.url;
  const dev = ctx.config.webMode === 'dev';
  const logger = ctx.logger('web');
  if (!dev) {
    await ensureDashboardBuild((message, fields) => logger.info(message, fields));
  }
  const child = spawn(
    process.execPath,
    [
      NEXT_BIN,
      dev ? 'dev' : 'start',
      '.',
      ...(dev ? ['--turbopack'] : []),
      '--port',
      String(port),
      '--hostname',
      '127.0.0.1',
    ],
    {
      // web/ as the working directory, as on Vercel: Tailwind looks for its config there.
      cwd: WEB_DIR,
      env: {
        ...process.env,
        LLMO_WEB_API_URL: apiUrl,
        LLMO_WEB_ISSUER: ctx.issuer.url,
        LLMO_WEB_CLIENT_ID: ctx.issuer.clientId,
        LLMO_WEB_BASE_URL: url,
        // Its own key, derived from the stack's cookie secret, so the issuer's and the dashboard's cookies differ.
        LLMO_WEB_SESSION_SECRET: createHmac('sha256', ctx.secrets.cookieSecret)
          .update('llmo-web-session')
          .digest('base64url'),
        // Signed-out sessions stay refused across restarts of the dashboard.
        ...(ingestUrl ? { LLMO_WEB_INGEST_URL: ingestUrl } : {}),
        LLMO_WEB_SESSION_STORE: path.join(ctx.config.dataDir, 'web', 'revoked-sessions'),
        ...(dev ? { LLMO_WEB_DIST_DIR: DEV_DIST_DIR } : {}),
        NEXT_TELEMETRY_DISABLED: '1',
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: stop() ends Next and the workers it forks in one signal.
      detached: true,
    },
  );
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Never leave the server behind if the stack process exits without calling stop(); a kill -9 of the
  // stack runs no handler, so the pid file lets the next start stop it (infra/local/leftovers.ts).
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  if (child.pid) await recordChild(ctx.config.dataDir, 'web', { pid: child.pid, group: true });

  await waitUntilReady(child, port, (line) => logger.info(line)).catch((error: unknown) => {
    killGroup('SIGKILL');
    throw error;
  });
  return {
    name: 'web',
    url,
    stack: { web_url: url },
    async stop() {
      process.off('exit', onExit);
      await forgetChild(ctx.config.dataDir, 'web');
      if (child.exitCode !== null || child.signalCode !== null) return killGroup('SIGKILL');
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // Workers may outlive the parent by a moment; make sure the group is gone.
      killGroup('SIGKILL');
    },
  };
}

/** Forwards Next's output line by line and resolves at its "Ready" line; rejects if it exits or hangs. */
function waitUntilReady(child: ChildProcess, port: number, log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      if (!ready) reject(new Error(`the dashboard was not ready within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      for (const raw of chunk.toString().split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        log(line);
        if (!ready && /\bReady in\b/.test(line)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready)
        reject(
          new Error(
            `the dashboard exited before it was ready (${code ?? signal}); is port ${port} in use? (LLMO_WEB_PORT)`,
          ),
        );
    });
  });
}
