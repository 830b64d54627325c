// Reaching PostgreSQL's binaries from a clone in a private folder: the ancestor check, the copy, the redirect.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { privateAncestor, reachablePackageCopy } from './postgres-access.ts';

/** A mkdtemp folder (private: 0700) holding a small package with an executable and a relative symlink. */
function privatePackage(version = '1.2.3'): { root: string; packageDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'llmo-pgbin-'));
  const packageDir = path.join(root, 'node_modules', '@scope', 'pkg');
  mkdirSync(path.join(packageDir, 'native', 'bin'), { recursive: true });
  mkdirSync(path.join(packageDir, 'dist'));
  writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: '@scope/pkg', version }));
  writeFileSync(path.join(packageDir, 'native', 'bin', 'tool'), '#!/bin/sh\necho from-copy\n', {
    mode: 0o755,
  });
  symlinkSync('tool', path.join(packageDir, 'native', 'bin', 'tool-link'));
  writeFileSync(path.join(packageDir, 'dist', 'index.js'), 'export const where = import.meta.url;\n');
  return { root, packageDir };
}

/** A shared root like /var/tmp/llmo-postgres, but per test. */
function sharedRoot(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'llmo-pgshared-'));
  chmodSync(dir, 0o755);
  return path.join(dir, 'llmo-postgres');
}

describe('privateAncestor', () => {
  it('names the first folder on the way that other users cannot pass, and nothing when all can', () => {
    const { root, packageDir } = privatePackage();
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(privateAncestor(packageDir)).toBe(root);
    chmodSync(root, 0o755);
    expect(privateAncestor(packageDir)).toBeUndefined();
  });
});

describe('reachablePackageCopy', () => {
  it('copies the package once per version to a folder every user can pass, symlinks and modes kept', async () => {
    const { packageDir } = privatePackage();
    const shared = sharedRoot();
    const copy = await reachablePackageCopy(packageDir, shared);
    expect(copy).toBe(path.join(shared, '_scope_pkg-1.2.3'));
    expect(privateAncestor(copy)).toBeUndefined();
    expect(execFileSync(path.join(copy, 'native', 'bin', 'tool')).toString()).toBe('from-copy\n');
    expect(readlinkSync(path.join(copy, 'native', 'bin', 'tool-link'))).toBe('tool');

    // Same version again: the existing copy is used as it is.
    writeFileSync(path.join(packageDir, 'native', 'bin', 'tool'), '#!/bin/sh\necho changed\n');
    expect(await reachablePackageCopy(packageDir, shared)).toBe(copy);
    expect(readFileSync(path.join(copy, 'native', 'bin', 'tool'), 'utf8')).toContain('from-copy');
  });

  it('lets concurrent first starts agree on one complete copy', async () => {
    const { packageDir } = privatePackage('2.0.0');
    const shared = sharedRoot();
    const copies = await Promise.all([1, 2, 3].map(() => reachablePackageCopy(packageDir, shared)));
    expect(new Set(copies).size).toBe(1);
    expect(execFileSync(path.join(copies[0] as string, 'native', 'bin', 'tool')).toString()).toBe(
      'from-copy\n',
    );
  });
});

describe('postgres-resolve-hook.mjs', () => {
  it('sends imports of the one specifier to the copy and leaves every other import alone', () => {
    const { packageDir } = privatePackage();
    const hook = pathToFileURL(path.join(import.meta.dirname, 'postgres-resolve-hook.mjs')).href;
    const target = pathToFileURL(path.join(packageDir, 'dist', 'index.js')).href;
    const script = `
      import { register } from 'node:module';
      register(${JSON.stringify(hook)}, { data: { specifier: '@scope/pkg', url: ${JSON.stringify(target)} } });
      const { where } = await import('@scope/pkg');
      const { sep } = await import('node:path');
      process.stdout.write(JSON.stringify({ where, sep }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tmpdir() });
    expect(JSON.parse(out.toString())).toEqual({ where: target, sep: '/' });
  });
});
