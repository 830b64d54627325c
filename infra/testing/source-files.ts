// Lists the repository's own source files (no dependencies, build output or local data), for tests that read code.
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
/** Folders that hold no source of ours (see .gitignore). */
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

/** Source files under `dir` (relative to the repository root), as paths relative to the root. */
export function sourceFiles(dir = ''): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : sourceFiles(rel);
    return entry.isFile() && SOURCE.test(entry.name) ? [rel] : [];
  });
}
