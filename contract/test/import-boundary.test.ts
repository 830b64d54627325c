// contract/index.ts is the only way in: no file outside contract/ imports contract/src/* directly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
const DEEP_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"][^'"]*contract\/src\/[^'"]*['"]/g;
/** Folders that hold no source of ours (dependencies, build output, local data: see .gitignore). */
const SKIP = new Set([
  'node_modules',
  '.git',
  '.data',
  'dist',
  '.next',
  '.next-dev',
  'cdk.out',
  'coverage',
  '.venv',
  'build',
  '.tmp',
]);

/** Source files under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sources(rel);
    return entry.isFile() && SOURCE.test(entry.name) ? [rel] : [];
  });
}

it('finds no import of contract/src/* outside contract/', () => {
  const files = sources('').filter((f) => !f.startsWith(`contract${path.sep}`));
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(DEEP_IMPORT)].map((m) => `${file}: ${m[0]}`),
  );
  expect(offenders).toEqual([]);
});
