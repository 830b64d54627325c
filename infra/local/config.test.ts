// Local-stack configuration: defaults, and loud failures that name the bad variable.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/env.ts';
import { loadLocalConfig } from './config.ts';

describe('loadLocalConfig', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadLocalConfig({}, '/repo');
    expect(config.dataDir).toBe('/repo/.data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.ports).toEqual({
      web: 3000,
      api: 4001,
      ingest: 4002,
      issuer: 4003,
      firehose: 4004,
      s3: 4005,
      dynamodb: 4006,
      postgres: 5433,
    });
    expect(config.webMode).toBe('build');
  });

  it('takes overrides', () => {
    const config = loadLocalConfig({
      LLMO_API_PORT: '5001',
      DATABASE_URL: 'postgres://u:p@h/db',
      LLMO_DATA_DIR: '/x',
      LLMO_WEB_MODE: 'dev',
    });
    expect(config.webMode).toBe('dev');
    expect(config.ports.api).toBe(5001);
    expect(config.databaseUrl).toBe('postgres://u:p@h/db');
    expect(config.dataDir).toBe('/x');
  });

  it.each([
    ['LLMO_API_PORT', 'http'],
    ['LLMO_INGEST_PORT', '70000'],
    ['LLMO_POSTGRES_PORT', '0'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['LLMO_KEY_TABLE', 'a b'],
    ['LLMO_WEB_MODE', 'prod'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadLocalConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadLocalConfig({ [name]: value })).toThrow(name);
  });
});
