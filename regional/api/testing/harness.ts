// Integration-test harness: local issuer + regional API over the run's Postgres and dynalite, with token helpers.
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type pg from 'pg';
import { inject } from 'vitest';
import { LOCAL_AWS } from '../../../infra/local/dynamo.ts';
import { generateSigningJwk, type SigningJwk } from '../../../infra/local/issuer-keys.ts';
import { mintToken } from '../../../infra/local/mint-token.ts';
import { LOCAL_CLIENT_ID, type RunningIssuer, startLocalIssuer } from '../../../infra/local/oidc.ts';
import { TEST_KEY_TAG } from '../../../infra/testing/key-tag.ts';
import { createPool } from '../../db/pool.ts';
import { drainKeyOutbox } from '../../outbox/drain.ts';
import { dynamoKeyCacheWriter } from '../../outbox/dynamo-key-store.ts';
import { createTokenVerifier } from '../auth/verifier.ts';
import type { ApiDeps } from '../deps.ts';
import { createRegionalApi, type RegionalApi } from '../router.ts';

/** A JSON answer as tests read it. */
export type Answer = {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Headers;
};

/** Everything an API integration test needs; `close()` in afterAll. */
export type Harness = {
  api: RegionalApi;
  deps: ApiDeps;
  /** Owner-role pool for setup and assertions (bypasses nothing it should not: it owns the tables). */
  owner: pg.Pool;
  system: pg.Pool;
  dynamo: DynamoDBClient;
  keyTableName: string;
  issuer: RunningIssuer;
  key: SigningJwk;
  token(orgId: string, role: 'admin' | 'member', email?: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<Answer>;
  /** A fresh organization with one project, made directly in the database. */
  org(): Promise<{ orgId: string; projectId: string }>;
  close(): Promise<void>;
};

/** Starts the harness; the propagator drain runs inline after each key change, as in the Lambda. */
export async function startHarness(): Promise<Harness> {
  const key = await generateSigningJwk();
  const issuer = await startLocalIssuer({
    port: 0,
    key,
    users: async () => [],
    redirectUris: ['http://localhost:3999/callback'],
    cookieSecret: randomBytes(16).toString('hex'),
  });
  const app = createPool(inject('appDatabaseUrl'), { max: 4 });
  const system = createPool(inject('systemDatabaseUrl'), { max: 2 });
  const owner = createPool(inject('databaseUrl'), { max: 2 });
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  const keyTableName = inject('keyTableName');
  const writer = dynamoKeyCacheWriter(dynamo, keyTableName);
  const deps: ApiDeps = {
    verifier: createTokenVerifier({
      kind: 'oidc',
      issuer: issuer.issuer,
      audience: LOCAL_CLIENT_ID,
      jwksUri: issuer.jwksUri,
      tokenUse: 'id',
    }),
    db: app,
    clock: () => new Date(),
    keyTagSecret: TEST_KEY_TAG,
    onKeyChange: async () => {
      await drainKeyOutbox({ pool: system, writer });
    },
  };
  const api = createRegionalApi(deps);
  return {
    api,
    deps,
    owner,
    system,
    dynamo,
    keyTableName,
    issuer,
    key,
    token: (orgId, role, email = `${role}-${randomUUID().slice(0, 8)}@example.test`) =>
      mintToken(
        { sub: `sub-${email}`, email, orgId, role },
        { issuer: issuer.issuer, audience: LOCAL_CLIENT_ID, key },
      ),
    async call(method, path, options = {}) {
      const headers = new Headers();
      if (options.token) headers.set('authorization', `Bearer ${options.token}`);
      let body: string | undefined;
      if (options.body !== undefined) {
        headers.set('content-type', 'application/json');
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const res = await api(new Request(`http://api.test${path}`, { method, headers, body }));
      return { status: res.status, body: (await res.json()) as Answer['body'], headers: res.headers };
    },
    async org() {
      const { rows } = await system.query<{ id: string }>(
        'INSERT INTO organizations (name) VALUES ($1) RETURNING id',
        [`org-${randomUUID().slice(0, 8)}`],
      );
      const orgId = rows[0]?.id ?? '';
      const p = await system.query<{ id: string }>(
        'INSERT INTO projects (org_id, name) VALUES ($1, $2) RETURNING id',
        [orgId, 'default'],
      );
      return { orgId, projectId: p.rows[0]?.id ?? '' };
    },
    async close() {
      await issuer.stop();
      dynamo.destroy();
      await Promise.all([app.end(), system.end(), owner.end()]);
    },
  };
}
