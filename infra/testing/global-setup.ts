// vitest globalSetup for integration and e2e tiers: one PostgreSQL (embedded, or a fresh database on
// DATABASE_URL) and one dynalite per run, migrated, with their URLs handed to tests through inject().
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as v from 'valibot';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../regional/db/migrate.ts';
import { createMemberRole } from '../../regional/db/roles.ts';
import { APP_ROLE, SYSTEM_ROLE } from '../../regional/db/urls.ts';
import { parseEnv, postgresUrl } from '../../runtime/env.ts';
import { ensureKeyTable, startDynalite } from '../local/dynamo.ts';
import { startEmbeddedPostgres } from '../local/postgres.ts';
import { freePort } from './free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Owner role: runs migrations, owns the tables. Tests use it only for setup and assertions. */
    databaseUrl: string;
    /** A member of `llmo_app` (what the regional API connects as): row-level security applies. */
    appDatabaseUrl: string;
    /** A member of `llmo_system` (the loader, the outbox propagator and operator tools). */
    systemDatabaseUrl: string;
    dynamoEndpoint: string;
    keyTableName: string;
  }
}

/** Starts the shared parts once per test run and returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  const password = randomBytes(18).toString('base64url');
  let ownerUrl: string;
  // An existing PostgreSQL to test against (its owner role), instead of an embedded one.
  const external = parseEnv(v.object({ DATABASE_URL: v.optional(postgresUrl) })).DATABASE_URL;
  if (external) {
    // Never touch the given database itself: make a throwaway one beside it.
    const name = `llmo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    ownerUrl = url.toString();
    stops.push(async () => {
      const c = new pg.Client({ connectionString: external });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-pg-'));
    // As root, PostgreSQL runs as a separate `postgres` user that must be able to enter the folder.
    await chmod(dir, 0o755);
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'data'),
      port: await freePort(),
      password,
      persistent: false,
    });
    ownerUrl = cluster.url;
    stops.push(async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    });
  }
  // Roles are cluster-wide: the run logs in as its own throwaway members of llmo_app / llmo_system, so
  // it never changes the passwords of a stack that shares the server.
  await migrate({ ownerUrl });
  const run = `llmo_t${randomBytes(4).toString('hex')}`;
  const passwords = {
    app: randomBytes(18).toString('base64url'),
    system: randomBytes(18).toString('base64url'),
  };
  await withOwner(ownerUrl, async (owner) => {
    await createMemberRole(owner, `${run}_app`, APP_ROLE, passwords.app);
    await createMemberRole(owner, `${run}_system`, SYSTEM_ROLE, passwords.system);
  });
  stops.push(() =>
    withOwner(ownerUrl, (owner) => owner.query(`DROP ROLE IF EXISTS ${run}_app, ${run}_system`)),
  );
  const urls = {
    owner: ownerUrl,
    app: asUser(ownerUrl, `${run}_app`, passwords.app),
    system: asUser(ownerUrl, `${run}_system`, passwords.system),
  };

  const dynamo = await startDynalite({ port: 0 });
  stops.push(dynamo.stop);
  const keyTableName = 'llmo-api-keys-test';
  await ensureKeyTable(dynamo.endpoint, keyTableName);

  project.provide('databaseUrl', urls.owner);
  project.provide('appDatabaseUrl', urls.app);
  project.provide('systemDatabaseUrl', urls.system);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('keyTableName', keyTableName);

  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
}

async function withOwner<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

function asUser(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
