// Unit tests: the edge build input follows the context, and a bundle built for other names is refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertEdgeBundleMatches,
  EdgeBundleMismatchError,
  edgeBuildInput,
  edgeBundleMismatches,
} from './edge-bundle.ts';
import { testConfig } from './test-support.ts';

const config = testConfig();
const root = mkdtempSync(path.join(tmpdir(), 'llmo-edge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('edgeBuildInput', () => {
  it('carries the names and regions the stacks grant', () => {
    expect(edgeBuildInput(config)).toMatchObject({
      coreRegion: 'eu-west-1',
      replicaRegions: ['us-east-1', 'ap-northeast-1'],
      streamName: 'llmo-events',
      keyTableName: 'llmo-api-keys',
      retentionDays: 45,
    });
  });
});

describe('edgeBundleMismatches', () => {
  const baked = (c: Record<string, unknown>) => `var cfg=${JSON.stringify(c)};export{handler};`;
  const minified = 'var x={coreRegion:"eu-west-1",streamName:"llmo-events",keyTableName:"llmo-api-keys"};';

  it('accepts a bundle baked from the same context, quoted or minified', () => {
    expect(edgeBundleMismatches(baked(edgeBuildInput(config)), config)).toEqual([]);
    expect(edgeBundleMismatches(minified, config)).toEqual([]);
  });

  it('names each value the bundle lacks', () => {
    const other = baked({ ...edgeBuildInput(config), streamName: 'other-stream', coreRegion: 'us-east-1' });
    expect(edgeBundleMismatches(other, config)).toEqual([
      'coreRegion should be "eu-west-1"',
      'streamName should be "llmo-events"',
    ]);
  });

  it('makes synthesis fail on a stale dist/edge bundle, and lets a missing one through to assetCode', () => {
    expect(() => assertEdgeBundleMatches(root, config)).not.toThrow();
    mkdirSync(path.join(root, 'dist', 'edge'), { recursive: true });
    writeFileSync(
      path.join(root, 'dist', 'edge', 'index.mjs'),
      baked({ ...edgeBuildInput(config), keyTableName: 'x' }),
    );
    expect(() => assertEdgeBundleMatches(root, config)).toThrow(EdgeBundleMismatchError);
    expect(() => assertEdgeBundleMatches(root, config)).toThrow(/keyTableName should be "llmo-api-keys"/);
  });
});
