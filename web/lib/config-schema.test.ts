// Dashboard configuration: validated once, failing loudly by variable name, never echoing a value.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/env.ts';
import { parseWebConfig } from './config-schema.ts';

const valid = {
  LLMO_WEB_API_URL: 'https://api.example.test/',
  LLMO_WEB_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  LLMO_WEB_CLIENT_ID: 'llmo-dashboard',
  LLMO_WEB_BASE_URL: 'https://dashboard.example.test',
  LLMO_WEB_SESSION_SECRET: 's'.repeat(43),
};

describe('parseWebConfig', () => {
  it('reads a complete environment, trimming trailing slashes', () => {
    expect(parseWebConfig(valid)).toEqual({
      apiUrl: 'https://api.example.test',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      clientId: 'llmo-dashboard',
      baseUrl: 'https://dashboard.example.test',
      sessionSecret: 's'.repeat(43),
      ingestUrl: 'https://YOUR-INGEST-HOST',
      sessionStoreFile: undefined,
      secureCookies: true,
    });
    expect(parseWebConfig({ ...valid, LLMO_WEB_SESSION_STORE: '/data/revoked' }).sessionStoreFile).toBe(
      '/data/revoked',
    );
  });

  it('uses non-Secure cookies only for a plain-HTTP (local) dashboard', () => {
    expect(parseWebConfig({ ...valid, LLMO_WEB_BASE_URL: 'http://localhost:3000' }).secureCookies).toBe(
      false,
    );
  });

  it.each(Object.keys(valid))('names %s when it is missing', (name) => {
    const env: Record<string, string | undefined> = { ...valid, [name]: undefined };
    expect(() => parseWebConfig(env)).toThrow(ConfigError);
    expect(() => parseWebConfig(env)).toThrow(name);
  });

  it('names a variable that is not a URL', () => {
    expect(() => parseWebConfig({ ...valid, LLMO_WEB_ISSUER: 'cognito' })).toThrow(
      'LLMO_WEB_ISSUER must be an absolute URL',
    );
  });

  it('refuses a short session secret without printing it', () => {
    const attempt = () => parseWebConfig({ ...valid, LLMO_WEB_SESSION_SECRET: 'hunter2-short' });
    expect(attempt).toThrow('LLMO_WEB_SESSION_SECRET must be at least 32 characters');
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
