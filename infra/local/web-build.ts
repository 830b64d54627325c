// The dashboard's production build for the local stack: `next build` once, again only when web/ changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The dashboard's folder in this repository. */
export const WEB_DIR = path.join(ROOT, 'web');
/** The `next` command of this repository's install. */
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

/** Folders and files of web/ that are outputs or tests, not inputs of the build. */
const SKIP_DIRS = new Set(['node_modules', 'screenshots']);
const isSkippedDir = (name: string): boolean => SKIP_DIRS.has(name) || name.startsWith('.next');
const isSkippedFile = (name: string): boolean =>
  name.endsWith('.test.ts') || name.endsWith('.md') || name === 'next-env.d.ts';

/**
 * A content hash of everything `next build` reads: web/'s sources (not tests, docs or outputs), the
 * repository modules it imports from outside web/ (`extraDirs`, e.g. runtime/) and the lock file that pins
 * Next, React and Tremor. Paths are part of the hash, so renames count.
 */
export async function webSourceHash(
  webDir: string,
  lockFile: string,
  extraDirs: string[] = [],
): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDir(entry.name)) await walk(full);
      } else if (entry.isFile() && !isSkippedFile(entry.name)) {
        hash
          .update(path.relative(webDir, full))
          .update('\0')
          .update(await readFile(full))
          .update('\0');
      }
    }
  };
  await walk(webDir);
  for (const dir of extraDirs) await walk(dir);
  hash.update('lock\0').update(await readFile(lockFile));
  return hash.digest('hex');
}

/** Where the hash of the sources a build was made from is kept (inside the build folder). */
const stampFile = (webDir: string): string => path.join(webDir, '.next', 'llmo-source-hash');

/** Whether web/.next holds a complete build of exactly these sources. */
async function isBuilt(webDir: string, sourceHash: string): Promise<boolean> {
  try {
    const [stamp] = await Promise.all([
      readFile(stampFile(webDir), 'utf8'),
      stat(path.join(webDir, '.next', 'BUILD_ID')),
    ]);
    return stamp.trim() === sourceHash;
  } catch {
    return false;
  }
}

/**
 * Makes sure web/.next is a production build of the current sources, running `next build` if not.
 * A lock file keeps two stacks started from the same checkout from building over each other.
 */
export async function ensureWebBuild(options: {
  webDir: string;
  lockFile: string;
  /** Folders outside web/ that the dashboard imports from. */
  extraDirs?: string[];
  nextBin: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
}): Promise<{ built: boolean; sourceHash: string }> {
  const { webDir, nextBin, log } = options;
  const sourceHash = await webSourceHash(webDir, options.lockFile, options.extraDirs);
  if (await isBuilt(webDir, sourceHash)) return { built: false, sourceHash };
  const release = await takeLock(path.join(webDir, '.next-build.lock'));
  try {
    // Another stack may have built it while this one waited for the lock.
    if (await isBuilt(webDir, sourceHash)) return { built: false, sourceHash };
    log('building the dashboard (next build; once per change of web/)');
    const started = Date.now();
    await rm(stampFile(webDir), { force: true });
    await run(process.execPath, [nextBin, 'build', '.'], webDir, log);
    await mkdir(path.dirname(stampFile(webDir)), { recursive: true });
    await writeFile(stampFile(webDir), `${sourceHash}\n`);
    log('dashboard built', { seconds: Math.round((Date.now() - started) / 100) / 10 });
    return { built: true, sourceHash };
  } finally {
    await release();
  }
}

/** An exclusive lock file holding the owner's pid; a lock left by a dead process is taken over. */
async function takeLock(lockPath: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (!owner || !isAlive(owner)) {
        await rm(lockPath, { force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs a command to completion, forwarding its output line by line; rejects on a non-zero exit. */
function run(command: string, args: string[], cwd: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The stack's own exit kills the build too, so no half-finished `next build` outlives it.
    const onExit = () => child.kill('SIGKILL');
    process.once('exit', onExit);
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(line.trim());
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('exit', onExit);
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${code ?? signal})`));
    });
  });
}

/** The production build of this repository's dashboard (web/, importing runtime/), made if out of date. */
export function ensureDashboardBuild(
  log: (message: string, fields?: Record<string, unknown>) => void,
): Promise<{ built: boolean; sourceHash: string }> {
  return ensureWebBuild({
    webDir: WEB_DIR,
    lockFile: path.join(ROOT, 'package-lock.json'),
    extraDirs: [path.join(ROOT, 'runtime')],
    nextBin: NEXT_BIN,
    log,
  });
}
