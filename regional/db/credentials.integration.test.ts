// A rotated password is picked up: real PostgreSQL, the real AWS SDK against a local Secrets Manager endpoint.
import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from '../../infra/testing/secrets-manager-server.ts';
import { type CredentialSource, databaseCredentials, secretsManagerFetcher } from './credentials.ts';
import { createPool } from './pool.ts';

let sm: LocalSecretsManager;
let owner: pg.Client;
const role = `llmo_rot_${randomBytes(4).toString('hex')}`;
const secretArn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${role}-AbCdEf`;
const newPassword = () => randomBytes(18).toString('base64url');
const secretJson = (password: string) => JSON.stringify({ username: role, password, engine: 'postgres' });

beforeAll(async () => {
  sm = await startLocalSecretsManager();
  owner = new pg.Client({ connectionString: inject('databaseUrl') });
  await owner.connect();
});
afterAll(async () => {
  await owner.query(`DROP ROLE IF EXISTS ${role}`);
  await owner.end();
  await sm.close();
});

/** What the rotation function does to the database: the role's password changes in place. */
async function setRolePassword(password: string): Promise<void> {
  await owner.query(`ALTER ROLE ${role} PASSWORD '${password}'`);
}

/** Ends the role's open connections, as an idle timeout or a failover would, and waits until the pool noticed. */
async function dropConnections(noticed: Promise<void>): Promise<void> {
  await owner.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
  await noticed;
}

describe('database credentials from a rotated secret', () => {
  it('reads the secret once, then re-reads it (current, then pending) only after a refused login', async () => {
    const first = newPassword();
    await owner.query(`CREATE ROLE ${role} LOGIN PASSWORD '${first}'`);
    sm.put(secretArn, secretJson(first));
    const url = new URL(inject('databaseUrl'));
    const source: CredentialSource = {
      kind: 'secret',
      secretArn,
      host: url.hostname,
      port: Number(url.port),
      database: url.pathname.slice(1),
      user: role,
      tls: false,
    };
    const client = new SecretsManagerClient({
      endpoint: sm.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    });
    let idleLost: () => void = () => {};
    const pool = createPool(databaseCredentials(source, secretsManagerFetcher(client)), {
      max: 1,
      onIdleError: () => idleLost(),
    });
    const nextIdleLoss = () => new Promise<void>((resolve) => (idleLost = resolve));
    try {
      const whoAmI = async () => (await pool.query<{ u: string }>('SELECT current_user AS u')).rows[0]?.u;
      expect(await whoAmI()).toBe(role);
      expect(await whoAmI()).toBe(role);
      expect(sm.calls).toEqual([{ secretId: secretArn, stage: 'AWSCURRENT' }]);

      // Rotation finished: the database and the secret's AWSCURRENT both hold the new password.
      const second = newPassword();
      await setRolePassword(second);
      sm.put(secretArn, secretJson(second));
      await dropConnections(nextIdleLoss());
      expect(await whoAmI()).toBe(role);
      expect(sm.calls.map((c) => c.stage)).toEqual(['AWSCURRENT', 'AWSCURRENT']);

      // Rotation half-way: the database has the pending password, AWSCURRENT still the old one.
      const third = newPassword();
      await setRolePassword(third);
      sm.put(secretArn, secretJson(third), 'AWSPENDING');
      await dropConnections(nextIdleLoss());
      expect(await whoAmI()).toBe(role);
      expect(sm.calls.map((c) => c.stage)).toEqual(['AWSCURRENT', 'AWSCURRENT', 'AWSCURRENT', 'AWSPENDING']);

      // A password nobody has: the refusal reaches the caller after one refresh, no retry loop.
      await setRolePassword(newPassword());
      sm.dropStage(secretArn, 'AWSPENDING');
      await dropConnections(nextIdleLoss());
      await expect(whoAmI()).rejects.toMatchObject({ code: '28P01' });
      expect(sm.calls.length).toBe(5);
    } finally {
      await pool.end();
    }
  });
});
