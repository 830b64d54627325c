// Builds the migrate bundle as deployed and runs it on a fresh database: every shipped SQL file is applied.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
  it('migrates a fresh database from the SQL files shipped beside it, then finds nothing to do', async () => {
    const owner = inject('databaseUrl');
    const name = `llmo_migrate_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: owner });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(owner);
      url.pathname = `/${name}`;
      // No role passwords: the roles are cluster-wide and other test runs may share this server.
      process.env.DATABASE_URL = url.toString();
      delete process.env.LLMO_APP_DB_PASSWORD;
      delete process.env.LLMO_SYSTEM_DB_PASSWORD;
      const files = readdirSync(path.join(root, 'regional/db/migrations'))
        .filter((f) => f.endsWith('.sql'))
        .map((f) => f.replace(/\.sql$/, ''))
        .sort();
      expect(files.length).toBeGreaterThan(0);
      await expect(mod.handler()).resolves.toEqual({ applied: files });
      await expect(mod.handler()).resolves.toEqual({ applied: [] });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('fails naming the variable when only one role password is set', async () => {
    process.env.DATABASE_URL = inject('databaseUrl');
    process.env.LLMO_APP_DB_PASSWORD = 'x'.repeat(20);
    await expect(mod.handler()).rejects.toThrow(
      /LLMO_APP_DB_PASSWORD and LLMO_SYSTEM_DB_PASSWORD must be set together/,
    );
    delete process.env.LLMO_APP_DB_PASSWORD;
  });
});
