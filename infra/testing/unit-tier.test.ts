// The unit tier stays what vitest.config.ts assumes: no child processes, no module mocks, no stubbed globals or environment.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from './source-files.ts';

/** Unit test files: `*.test.ts` of no other tier (vitest.config.ts). */
const unitTests = () =>
  sourceFiles().filter(
    (f) => f.endsWith('.test.ts') && !/\.(property|synth|integration|e2e)\.test\.ts$/.test(f),
  );

/**
 * Unit files share one module graph per worker (isolate: false), so a mock, a stubbed global or a
 * changed variable would leak into the next file; and a child process belongs to the integration tier.
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bvi\.(mock|doMock|stubGlobal|stubEnv|spyOn)\(/, 'mocks or stubs (shared module graph)'],
  [/process\.env(\.\w+|\[[^\]]+\])\s*=(?!=)|delete process\.env/, 'changes the environment (shared process)'],
  [
    /from ['"]node:child_process['"]|require\(['"]child_process['"]\)/,
    'starts child processes (integration tier)',
  ],
];

it('unit test files neither mock, stub, change the environment nor start processes', () => {
  const files = unitTests();
  expect(files.length).toBeGreaterThan(30);
  const offenders = files.flatMap((file) => {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    return FORBIDDEN.filter(([re]) => re.test(text)).map(([, why]) => `${file}: ${why}`);
  });
  expect(offenders).toEqual([]);
});
