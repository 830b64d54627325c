// Local-stack service: the regional API (admin + analytics) on a Node HTTP server, with the key-outbox propagator and tier refresher.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startTierRefresher } from '../../regional/api/analytics/tiers/refresh.ts';
import { createTokenVerifier } from '../../regional/api/auth/verifier.ts';
import { serveFetch } from '../../regional/api/http/node-server.ts';
import { createRegionalApi } from '../../regional/api/router.ts';
import { createPool } from '../../regional/db/pool.ts';
import { dynamoKeyCacheWriter } from '../../regional/outbox/dynamo-key-store.ts';
import { startKeyPropagator } from '../../regional/outbox/propagator.ts';
import type { LocalContext, RunningService } from './context.ts';
import { LOCAL_AWS } from './dynamo.ts';

/**
 * Starts the API on `ctx.config.ports.api` and the propagator that copies key changes to dynalite:
 * right after each commit (kick) and every second (sweep) for anything a kick could not deliver.
 */
export async function startApi(ctx: LocalContext): Promise<RunningService> {
  const onIdleError = (error: Error) =>
    ctx.log('api', 'idle database connection lost', { error: error.message });
  const app = createPool(ctx.db.app, { max: 8, applicationName: 'llmo-api', onIdleError });
  const system = createPool(ctx.db.system, { max: 2, applicationName: 'llmo-key-propagator', onIdleError });
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ctx.dynamoEndpoint });
  const propagator = startKeyPropagator({
    pool: system,
    writer: dynamoKeyCacheWriter(dynamo, ctx.keyTableName),
    sweepIntervalMs: 1_000,
    onError: ({ outboxId, prefix, attempts, error }) =>
      ctx.log('api', 'key propagation failed', { outboxId, prefix, attempts, error: String(error) }),
    onPassError: (error) => ctx.log('api', 'outbox pass failed', { error: String(error) }),
  });
  // Keeps the 5-minute and hourly analytics tiers current (answers are exact either way; tiers make them cheap).
  const tiers = startTierRefresher({
    pool: system,
    intervalMs: 1_000,
    onError: (error) => ctx.log('api', 'analytics tier refresh failed', { error: String(error) }),
  });
  const api = createRegionalApi({
    verifier: createTokenVerifier({
      kind: 'oidc',
      issuer: ctx.issuer.url,
      audience: ctx.issuer.clientId,
      jwksUri: ctx.issuer.jwksUri,
      tokenUse: 'id',
    }),
    db: app,
    clock: () => new Date(),
    onKeyChange: propagator.kick,
    logError: (message, details) => ctx.log('api', message, details),
  });
  const server = await serveFetch(api, {
    port: ctx.config.ports.api,
    corsOrigins: [`http://localhost:${ctx.config.ports.web}`, `http://127.0.0.1:${ctx.config.ports.web}`],
  });
  return {
    name: 'api',
    url: server.url,
    stack: { api_url: server.url },
    async stop() {
      await server.stop();
      await propagator.stop();
      await tiers.stop();
      dynamo.destroy();
      await Promise.all([app.end(), system.end()]);
    },
  };
}
