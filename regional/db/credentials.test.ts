// Credential sources from the environment, the secret's shape, and the URL form tools take.
import { describe, expect, it } from 'vitest';
import { credentialSourceFromEnv, databaseCredentials, type SecretFetcher } from './credentials.ts';

const fetcher =
  (secret: string): SecretFetcher =>
  async () =>
    secret;

describe('credentialSourceFromEnv', () => {
  it('uses the role URL when set', () => {
    expect(credentialSourceFromEnv({ SYSTEM_DATABASE_URL: 'postgres://a:b@h/d' }, 'system')).toEqual({
      kind: 'url',
      url: 'postgres://a:b@h/d',
    });
  });

  it('otherwise names a secret by ARN, with the role user and TLS', () => {
    expect(
      credentialSourceFromEnv(
        { DATABASE_HOST: 'db.example', DATABASE_NAME: 'llmo', APP_DB_SECRET_ARN: 'arn:x' },
        'app',
      ),
    ).toEqual({
      kind: 'secret',
      secretArn: 'arn:x',
      host: 'db.example',
      port: 5432,
      database: 'llmo',
      user: 'llmo_app',
      tls: true,
    });
  });

  it('names what is missing or wrong, never a value', () => {
    expect(() => credentialSourceFromEnv({}, 'system')).toThrow(
      /SYSTEM_DB_SECRET_ARN is required \(or set SYSTEM_DATABASE_URL\)/,
    );
    expect(() => credentialSourceFromEnv({ OWNER_DB_SECRET_ARN: 'a', DATABASE_HOST: 'h' }, 'owner')).toThrow(
      /DATABASE_NAME/,
    );
    expect(() =>
      credentialSourceFromEnv(
        { APP_DB_SECRET_ARN: 'a', DATABASE_HOST: 'h', DATABASE_NAME: 'd', DATABASE_PORT: 'x' },
        'app',
      ),
    ).toThrow(/DATABASE_PORT/);
    expect(() => credentialSourceFromEnv({ APP_DATABASE_URL: 'mysql://secret@h' }, 'app')).toThrow(
      /^Invalid configuration: APP_DATABASE_URL must be a postgres:\/\/ URL$/,
    );
  });
});

describe('databaseCredentials', () => {
  const source = credentialSourceFromEnv(
    { DATABASE_HOST: 'db.example', DATABASE_NAME: 'llmo', SYSTEM_DB_SECRET_ARN: 'arn:x' },
    'system',
  );

  it('builds a TLS-verified URL from the secret', async () => {
    const creds = databaseCredentials(
      source,
      fetcher(JSON.stringify({ username: 'llmo_system', password: 'p@ss/word' })),
    );
    const url = new URL(await creds.url());
    expect(url.hostname).toBe('db.example');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.username)).toBe('llmo_system');
    expect(decodeURIComponent(url.password)).toBe('p@ss/word');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
  });

  it('refuses a secret that is not JSON, has no password or belongs to another user', async () => {
    await expect(databaseCredentials(source, fetcher('nope')).password()).rejects.toThrow(
      /does not hold JSON/,
    );
    await expect(
      databaseCredentials(source, fetcher(JSON.stringify({ username: 'llmo_system' }))).password(),
    ).rejects.toThrow(/has no password/);
    await expect(
      databaseCredentials(
        source,
        fetcher(JSON.stringify({ username: 'llmo_owner', password: 'x' })),
      ).password(),
    ).rejects.toThrow(/not for user llmo_system/);
  });

  it('does not cache a failed fetch', async () => {
    let calls = 0;
    const flaky: SecretFetcher = async () => {
      calls += 1;
      if (calls === 1) throw new Error('network');
      return JSON.stringify({ username: 'llmo_system', password: 'pw' });
    };
    const creds = databaseCredentials(source, flaky);
    await expect(creds.password()).rejects.toThrow('network');
    expect(await creds.password()).toBe('pw');
  });
});
