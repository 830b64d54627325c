// Unit tests: the edge build input follows the config, the key-tag secret is checked, and a bundle built for other names is refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkEdgeBundle,
  EdgeBundleMismatchError,
  edgeBuildInput,
  edgeBundleMismatches,
  KeyTagSecretError,
  parseKeyTagSecrets,
  SYNTH_ONLY_KEY_TAG_SECRET,
} from './edge-bundle.ts';
import { testConfig } from './test-support.ts';

const config = testConfig();
const secrets = { A: 'a'.repeat(64) };
const root = mkdtempSync(path.join(tmpdir(), 'llmo-edge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('edgeBuildInput', () => {
  it('carries the names and regions the stacks grant, and the key-tag secrets', () => {
    expect(edgeBuildInput(config, secrets)).toMatchObject({
      coreRegion: 'eu-west-1',
      replicaRegions: ['us-east-1', 'ap-northeast-1'],
      streamName: 'llmo-stage-events',
      keyTableName: 'llmo-stage-api-keys',
      retentionDays: 45,
      keyTagSecrets: secrets,
    });
  });
});

describe('parseKeyTagSecrets', () => {
  it('accepts the generated JSON secret and every added version', () => {
    const b = 'B'.repeat(64);
    expect(parseKeyTagSecrets(JSON.stringify({ A: secrets.A, B: b }), 'B')).toEqual({ A: secrets.A, B: b });
  });

  it('refuses a secret without the minting version, or with a malformed one, never echoing a value', () => {
    expect(() => parseKeyTagSecrets(JSON.stringify(secrets), 'B')).toThrow(/no version B/);
    expect(() => parseKeyTagSecrets(JSON.stringify({ A: 'short' }), 'A')).toThrow(KeyTagSecretError);
    expect(() => parseKeyTagSecrets(JSON.stringify({ AB: secrets.A }), 'A')).toThrow(/"AB" is malformed/);
    expect(() => parseKeyTagSecrets('not json', 'A')).toThrow(/not JSON/);
    expect(() => parseKeyTagSecrets('[]', 'A')).toThrow(/JSON object/);
    try {
      parseKeyTagSecrets(JSON.stringify({ A: secrets.A, C: 'x' }), 'A');
    } catch (error) {
      expect(String(error)).not.toContain(secrets.A);
    }
  });
});

describe('edgeBundleMismatches', () => {
  const baked = (c: Record<string, unknown>) => `var cfg=${JSON.stringify(c)};export{handler};`;
  const minified =
    'var x={coreRegion:"eu-west-1",streamName:"llmo-stage-events",keyTableName:"llmo-stage-api-keys"};';

  it('accepts a bundle baked from the same config, quoted or minified', () => {
    expect(edgeBundleMismatches(baked(edgeBuildInput(config, secrets)), config)).toEqual([]);
    expect(edgeBundleMismatches(minified, config)).toEqual([]);
  });

  it('names each value the bundle lacks', () => {
    const other = baked({
      ...edgeBuildInput(config, secrets),
      streamName: 'other-stream',
      coreRegion: 'us-east-1',
    });
    expect(edgeBundleMismatches(other, config)).toEqual([
      'coreRegion should be "eu-west-1"',
      'streamName should be "llmo-stage-events"',
    ]);
  });
});

describe('checkEdgeBundle', () => {
  const write = (text: string) => {
    mkdirSync(path.join(root, 'dist', 'edge'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'edge', 'index.mjs'), text);
  };
  const baked = (c: Record<string, unknown>) => `var cfg=${JSON.stringify(c)};export{handler};`;

  it('lets a missing bundle through to assetCode', () => {
    expect(checkEdgeBundle(root, config)).toEqual({ present: false, synthOnly: false });
  });

  it('fails synthesis on a bundle built for another environment', () => {
    write(baked({ ...edgeBuildInput(config, secrets), keyTableName: 'llmo-dev-api-keys' }));
    expect(() => checkEdgeBundle(root, config)).toThrow(EdgeBundleMismatchError);
    expect(() => checkEdgeBundle(root, config)).toThrow(/keyTableName should be "llmo-stage-api-keys"/);
  });

  it('tells a real bundle from one carrying the synth-only placeholder', () => {
    write(baked(edgeBuildInput(config, secrets)));
    expect(checkEdgeBundle(root, config)).toEqual({ present: true, synthOnly: false });
    write(baked(edgeBuildInput(config, { A: SYNTH_ONLY_KEY_TAG_SECRET })));
    expect(checkEdgeBundle(root, config)).toEqual({ present: true, synthOnly: true });
  });
});
