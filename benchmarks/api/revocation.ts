// Benchmark: revoke call → the edge answers 401 for that key, with the local stack's own API and edge modules.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TUNING } from '../../edge/src/config.ts';
import { postEvents, sampleEvent, startHarness as startEdge } from '../../edge/test/harness.ts';
import { startApi } from '../../infra/local/api.ts';
import type { LocalContext } from '../../infra/local/context.ts';
import { ensureKeyTable, startDynalite } from '../../infra/local/dynamo.ts';
import { generateSigningJwk } from '../../infra/local/issuer-keys.ts';
import { mintToken } from '../../infra/local/mint-token.ts';
import { LOCAL_CLIENT_ID, startLocalIssuer } from '../../infra/local/oidc.ts';
import { createPool } from '../../regional/db/pool.ts';
import { envLogLevel } from '../../runtime/env.ts';
import { createLogger, silentLogger } from '../../runtime/log.ts';
import { startBenchDb } from './bench-db.ts';
import { summary } from './stats.ts';

const { values: args } = parseArgs({
  options: { trials: { type: 'string', default: '60' }, 'poll-ms': { type: 'string', default: '20' } },
});
const TRIALS = Number(args.trials);
const POLL_MS = Number(args['poll-ms']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Progress and figures as the one log shape of every process (runtime/log.ts).
const { info: log } = createLogger({ service: 'bench-api-revocation', level: envLogLevel() });

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmo-bench-revoke-'));
  const db = await startBenchDb(path.join('/var/tmp', path.basename(dir)));
  const dynamo = await startDynalite({ port: 0 });
  const keyTableName = 'llmo-api-keys';
  await ensureKeyTable(dynamo.endpoint, keyTableName);
  const key = await generateSigningJwk();
  const issuer = await startLocalIssuer({
    port: 0,
    key,
    users: async () => [],
    redirectUris: ['http://localhost/cb'],
    cookieSecret: randomUUID(),
  });
  const system = createPool(db.urls.system, { max: 1 });
  const org = await system.query<{ id: string }>(
    "INSERT INTO organizations (name) VALUES ('revocation-bench') RETURNING id",
  );
  const orgId = org.rows[0]?.id ?? '';
  const project = await system.query<{ id: string }>(
    "INSERT INTO projects (org_id, name) VALUES ($1, 'bench') RETURNING id",
    [orgId],
  );
  const projectId = project.rows[0]?.id ?? '';
  await system.end();

  // The very module `npm start` runs (API + outbox propagator + tier refresher), on a free port.
  const ctx = {
    config: { ports: { api: 0, web: 3000 } },
    db: db.urls,
    dynamoEndpoint: dynamo.endpoint,
    keyTableName,
    issuer: { url: issuer.issuer, jwksUri: issuer.jwksUri, clientId: LOCAL_CLIENT_ID, key },
    logger: () => silentLogger,
  } as unknown as LocalContext;
  const api = await startApi(ctx);
  // The edge as the local stack and its tests run it: default key-cache TTLs of the bundle.
  const edge = await startEdge({ dynamoEndpoint: dynamo.endpoint, keyTableName });
  const token = await mintToken(
    { sub: 'bench', email: 'bench@example.test', orgId, role: 'admin' },
    { issuer: issuer.issuer, audience: LOCAL_CLIENT_ID, key },
  );
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${api.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const toRefusal: number[] = [];
  const revokeCall: number[] = [];
  try {
    for (let i = 0; i < TRIALS; i += 1) {
      const created = await call('POST', `/v1/projects/${projectId}/api-keys`, { name: `k${i}` });
      const apiKey = String(created.body.key);
      // The key must be live at the edge (and cached there) before the revocation starts.
      let ok = 0;
      for (let tries = 0; tries < 200 && ok !== 202; tries += 1) {
        ok = (await postEvents(edge.url, apiKey, JSON.stringify({ events: [sampleEvent()] }))).status;
        if (ok !== 202) await sleep(POLL_MS);
      }
      if (ok !== 202) throw new Error(`new key never accepted by the edge (last status ${ok})`);
      // Land the revocation at a random point of the edge's cache TTL.
      await sleep(Math.random() * DEFAULT_TUNING.keyCache.positiveTtlMs);
      const t0 = performance.now();
      const revoked = await call('POST', `/v1/api-keys/${created.body.id}/revoke`);
      revokeCall.push(performance.now() - t0);
      if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}`);
      for (;;) {
        const status = (await postEvents(edge.url, apiKey, JSON.stringify({ events: [sampleEvent()] })))
          .status;
        if (status === 401) break;
        if (performance.now() - t0 > 30_000) throw new Error('edge still accepts the key after 30 s');
        await sleep(POLL_MS);
      }
      toRefusal.push(performance.now() - t0);
      if ((i + 1) % 10 === 0)
        log('progress', { trials: i + 1, last_ms: Math.round(toRefusal[toRefusal.length - 1] ?? 0) });
    }
    const result = {
      when: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load avg ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join('/')}`,
      trials: TRIALS,
      poll_ms: POLL_MS,
      edge_key_cache: DEFAULT_TUNING.keyCache,
      revoke_call_ms: summary(revokeCall),
      revoke_to_401_ms: summary(toRefusal),
      goal_p99_ms: 5_000,
    };
    log('result', result);
    await mkdir('benchmarks/results', { recursive: true });
    await writeFile('benchmarks/results/api-revocation.json', `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await edge.stop();
    await api.stop();
    await issuer.stop();
    await dynamo.stop();
    await db.stop();
    await rm(path.join('/var/tmp', path.basename(dir)), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
