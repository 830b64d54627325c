// systemDatabaseUrl: DATABASE_URL wins; otherwise the secret's credentials with TLS verification; loud errors.
import { describe, expect, it } from 'vitest';
import { systemDatabaseUrl } from './database-url.ts';

const secrets = (secret: string) => ({ send: async () => ({ SecretString: secret }) }) as never;

describe('systemDatabaseUrl', () => {
  it('uses DATABASE_URL when set', async () => {
    expect(await systemDatabaseUrl({ DATABASE_URL: 'postgres://a:b@h/d' }, secrets('{}'))).toBe(
      'postgres://a:b@h/d',
    );
  });

  it('builds a TLS-verified URL from host, name and the secret', async () => {
    const url = new URL(
      await systemDatabaseUrl(
        { DATABASE_HOST: 'proxy.example', DATABASE_NAME: 'llmo', SYSTEM_DB_SECRET_ARN: 'arn:x' },
        secrets(JSON.stringify({ username: 'llmo_system', password: 'p@ss/word' })),
      ),
    );
    expect(url.hostname).toBe('proxy.example');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.password)).toBe('p@ss/word');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
  });

  it('names what is missing', async () => {
    await expect(systemDatabaseUrl({ DATABASE_HOST: 'h' }, secrets('{}'))).rejects.toThrow(/DATABASE_NAME/);
    await expect(
      systemDatabaseUrl(
        { DATABASE_HOST: 'h', DATABASE_NAME: 'd', SYSTEM_DB_SECRET_ARN: 'a' },
        secrets('nope'),
      ),
    ).rejects.toThrow(/JSON/);
  });
});
