// Loader configuration: defaults, and a loud error naming a bad variable.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/env.ts';
import { loadLoaderConfig } from './config.ts';

describe('loadLoaderConfig', () => {
  it('has defaults', () => {
    expect(loadLoaderConfig({})).toEqual({
      retentionDays: 30,
      aheadDays: 14,
      chunkLines: 4096,
      maxLineBytes: 1048576,
      logLevel: 'info',
      serviceName: 'llmo-loader',
    });
  });

  it('names the bad variable', () => {
    expect(() => loadLoaderConfig({ RETENTION_DAYS: 'soon' })).toThrow(ConfigError);
    expect(() => loadLoaderConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
  });
});
