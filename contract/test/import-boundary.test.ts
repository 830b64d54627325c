// contract/index.ts is the only way in: no file outside contract/ imports contract/src/* directly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from '../../infra/testing/source-files.ts';

const DEEP_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"][^'"]*contract\/src\/[^'"]*['"]/g;

it('finds no import of contract/src/* outside contract/', () => {
  const files = sourceFiles().filter((f) => !f.startsWith(`contract${path.sep}`));
  expect(files.length).toBeGreaterThan(50);
  const offenders = files.flatMap((file) =>
    [...readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(DEEP_IMPORT)].map(
      (m) => `${file}: ${m[0]}`,
    ),
  );
  expect(offenders).toEqual([]);
});
