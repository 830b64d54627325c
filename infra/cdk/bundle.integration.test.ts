// Every regional Lambda bundle builds and loads as Lambda would load it: a fresh process, no repository around.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOne } from './bundle.ts';
import { BUNDLES, type BundleName } from './lambda-code.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'llmo-regional-bundles-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const REGIONAL = (Object.keys(BUNDLES) as BundleName[]).filter(
  (name) => BUNDLES[name].builtBy === 'infra/cdk/bundle.ts',
);

describe('regional Lambda bundles', () => {
  it.each(REGIONAL)('%s: builds, initialises its module and exports its handler', async (name) => {
    const dir = path.join(outdir, name);
    await bundleOne(root, name, dir);
    const handler = BUNDLES[name].handler.split('.')[1] ?? 'handler';
    // Module initialisation only (no invocation): what the runtime does before the first event. Run
    // from an empty folder with only what Lambda provides, so nothing resolves from this repository.
    const script = `const m = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'index.mjs')).href)}); process.stdout.write(typeof m[${JSON.stringify(handler)}]);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outdir,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: `llmo-${name}`,
      },
    });
    expect(stdout).toBe('function');
  });
});
