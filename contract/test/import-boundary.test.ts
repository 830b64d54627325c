// contract/index.ts is the only way in: no file outside contract/ imports contract/src/* directly.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx|mts|mjs|js|cjs)$/;
const DEEP_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"][^'"]*contract\/src\/[^'"]*['"]/g;

it('finds no import of contract/src/* outside contract/', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => SOURCE.test(f) && !f.startsWith('contract/') && !f.includes('node_modules/'));
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      return []; // listed by git but deleted in the working tree
    }
    return [...text.matchAll(DEEP_IMPORT)].map((m) => `${file}: ${m[0]}`);
  });
  expect(offenders).toEqual([]);
});
