// Unit tests of the production code source: built bundles are used by path, missing ones fail by name.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AssetCode } from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { assetCode, MissingBundleError } from './lambda-code.ts';

const root = mkdtempSync(path.join(tmpdir(), 'llmo-cdk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('assetCode', () => {
  it('uses dist/<bundle> when its index.mjs exists', () => {
    mkdirSync(path.join(root, 'dist', 'loader'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'loader', 'index.mjs'), 'export const handler = async () => {};\n');
    const code = assetCode(root).code('loader');
    expect(code).toBeInstanceOf(AssetCode);
    expect((code as AssetCode).path).toBe(path.join(root, 'dist', 'loader'));
  });

  it('fails naming the bundle and its source when it was not built', () => {
    expect(() => assetCode(root).code('edge')).toThrow(MissingBundleError);
    expect(() => assetCode(root).code('edge')).toThrow(
      /bundle "edge" not built: .*dist\/edge\/index\.mjs.*edge\/src\/lambda\.ts with edge\/build\.ts/,
    );
  });
});
