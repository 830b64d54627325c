// Regional API configuration: the key-tag version and secret come together or not at all, and are named when wrong.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/env.ts';
import { loadApiConfig } from './config.ts';

const BASE = {
  AUTH_MODE: 'oidc',
  OIDC_ISSUER: 'http://localhost:4003',
  OIDC_AUDIENCE: 'llmo-web',
  APP_DATABASE_URL: 'postgres://app@localhost/llmo',
  SYSTEM_DATABASE_URL: 'postgres://system@localhost/llmo',
};
const SECRET = 'dGVzdC1vbmx5LWtleS10YWctc2VjcmV0LW5vdC1mb3ItdXNl';

describe('loadApiConfig key-tag secret', () => {
  it('reads the version and secret new keys are minted with', () => {
    const config = loadApiConfig({ ...BASE, KEY_TAG_VERSION: 'A', KEY_TAG_SECRET: SECRET });
    expect(config.keyTagSecret).toEqual({ version: 'A', secret: SECRET });
  });

  it('fails naming KEY_TAG_SECRET / KEY_TAG_VERSION when only one of them is set', () => {
    expect(() => loadApiConfig({ ...BASE, KEY_TAG_VERSION: 'A' })).toThrowError(/KEY_TAG_SECRET is required/);
    expect(() => loadApiConfig({ ...BASE, KEY_TAG_SECRET: SECRET })).toThrowError(
      /KEY_TAG_VERSION is required/,
    );
    expect(() => loadApiConfig({ ...BASE, KEY_TAG_VERSION: 'A', KEY_TAG_SECRET: 'short' })).toThrowError(
      ConfigError,
    );
    expect(() => loadApiConfig({ ...BASE, KEY_TAG_VERSION: 'AB', KEY_TAG_SECRET: SECRET })).toThrowError(
      /KEY_TAG_VERSION/,
    );
  });

  it('the analytics function, which has neither, runs without it', () => {
    expect(loadApiConfig(BASE).keyTagSecret).toBeUndefined();
  });
});
