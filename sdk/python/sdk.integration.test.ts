// Runs the Python SDK's pytest suite (real openai/anthropic clients against local fake servers, the
// fail-open sender against a scripted local endpoint) as part of `npm test`, one vitest case per file.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPython, SDK_DIR } from './python-env.ts';

const files = readdirSync(path.join(SDK_DIR, 'tests'))
  .filter((f) => /^test_.*\.py$/.test(f))
  .sort();

describe('llm_observer (Python SDK) pytest suite', () => {
  it('has test files', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  for (const file of files) {
    it(`tests/${file}`, async () => {
      const run = await runPython(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `tests/${file}`]);
      const summary = run.stdout.trim().split('\n').at(-1) ?? '';
      // On failure the message carries pytest's own report (the last 6000 characters of it).
      expect(run.code, `${run.stdout.slice(-6000)}\n${run.stderr.slice(-2000)}`).toBe(0);
      expect(summary).toMatch(/\d+ passed/);
      expect(summary).not.toMatch(/failed|error|skipped/);
    }, 300_000);
  }
});
