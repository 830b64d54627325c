// Builds the migrate bundle as deployed and runs it on a fresh database: every shipped SQL file is applied.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalSecretsManager } from '../testing/secrets-manager-server.ts';
import { bundleOne } from './bundle.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'llmo-migrate-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type MigrateModule = { handler: () => Promise<{ applied: string[] }> };
let mod: MigrateModule;

beforeAll(async () => {
  await bundleOne(root, 'migrate', outdir);
  mod = (await import(pathToFileURL(path.join(outdir, 'index.mjs')).href)) as MigrateModule;
}, 120_000);

describe('migrate Lambda bundle', () => {
  it('reads the owner secret by ARN, migrates a fresh database from the SQL files shipped beside it, then finds nothing to do', async () => {
    const owner = inject('databaseUrl');
    const name = `llmo_migrate_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: owner });
    await admin.connect();
    const sm = await startLocalSecretsManager();
    const saved = { ...process.env };
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(owner);
      const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:owner-AbCdEf';
      sm.put(
        arn,
        JSON.stringify({
          username: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        }),
      );
      // What the core stack gives the function: no password, only where the secret is. No service-role
      // secrets: the roles are cluster-wide and other test runs may share this server.
      for (const key of ['DATABASE_URL', 'APP_DATABASE_URL', 'SYSTEM_DATABASE_URL']) delete process.env[key];
      Object.assign(process.env, {
        OWNER_DB_SECRET_ARN: arn,
        DATABASE_HOST: url.hostname,
        DATABASE_PORT: url.port,
        DATABASE_NAME: name,
        DATABASE_SSLMODE: 'disable',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
        AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
        AWS_SECRET_ACCESS_KEY: 'local',
      });
      const files = readdirSync(path.join(root, 'regional/db/migrations'))
        .filter((f) => f.endsWith('.sql'))
        .map((f) => f.replace(/\.sql$/, ''))
        .sort();
      expect(files.length).toBeGreaterThan(0);
      await expect(mod.handler()).resolves.toEqual({ applied: files });
      expect(sm.calls).toEqual([{ secretId: arn, stage: 'AWSCURRENT' }]);
      // Locally the owner comes as a URL; the schema is already there.
      delete process.env.OWNER_DB_SECRET_ARN;
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      await expect(mod.handler()).resolves.toEqual({ applied: [] });
    } finally {
      process.env = saved;
      await sm.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it("fails naming the variable when the secret's location is incomplete", async () => {
    const saved = { ...process.env };
    try {
      delete process.env.DATABASE_URL;
      delete process.env.DATABASE_HOST;
      process.env.OWNER_DB_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x';
      await expect(mod.handler()).rejects.toThrow(/DATABASE_HOST is required/);
    } finally {
      process.env = saved;
    }
  });
});
