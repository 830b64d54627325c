// Nothing the product runs is left out of AWS: every Lambda entry on disk is a deployed bundle or excluded with a reason.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, type BundleName, inlineCode, isLambdaEntryPath, NOT_DEPLOYED } from './lambda-code.ts';
import { buildStacks } from './stacks.ts';
import { testApp, testConfig } from './test-support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIP = new Set([
  'node_modules',
  '.git',
  '.data',
  'dist',
  'cdk.out',
  '.next',
  '.next-dev',
  '.venv',
  'coverage',
]);

/** Every file of the repository (relative paths), without dependencies and build output. */
function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(path.relative(ROOT, full).split(path.sep).join('/'));
  }
  return out;
}

const requested = new Set<BundleName>();

beforeAll(() => {
  // Build both stacks with a code source that records what the stacks deploy (construction only).
  const stub = inlineCode();
  buildStacks(testApp(), testConfig(), {
    code(bundle) {
      requested.add(bundle);
      return stub.code(bundle);
    },
  });
}, 120_000);

describe('deployment coverage', () => {
  it('finds the Lambda entries on disk: regional/entries/* and every lambda.ts', () => {
    const entries = walk(ROOT).filter(isLambdaEntryPath);
    expect(entries).toEqual(
      expect.arrayContaining(['edge/src/lambda.ts', 'regional/entries/tiers-refresh.ts']),
    );
    const bundled = new Set<string>(Object.values(BUNDLES).map((b) => b.entry));
    const missing = entries.filter((file) => !bundled.has(file) && !(file in NOT_DEPLOYED));
    expect(
      missing,
      'add a bundle in lambda-code.ts and deploy it, or list it in NOT_DEPLOYED with a reason',
    ).toEqual([]);
  });

  it('deploys every bundle in one of the stacks', () => {
    expect([...requested].sort()).toEqual((Object.keys(BUNDLES) as BundleName[]).sort());
  });

  it('excludes only files that exist, each with a reason', () => {
    const files = new Set(walk(ROOT));
    for (const [file, reason] of Object.entries(NOT_DEPLOYED)) {
      expect(files.has(file), file).toBe(true);
      expect(reason.length, file).toBeGreaterThan(10);
    }
  });

  it('recognizes entry points by place and name only', () => {
    expect(isLambdaEntryPath('regional/entries/new-job.ts')).toBe(true);
    expect(isLambdaEntryPath('regional/api/analytics/tiers/refresh-lambda.ts')).toBe(true);
    expect(isLambdaEntryPath('regional/entries/api.test.ts')).toBe(false);
    expect(isLambdaEntryPath('edge/src/lambda-log.ts')).toBe(false);
  });
});
