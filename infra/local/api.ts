// Local-stack service: the regional API (admin + analytics) on a Node HTTP server, wired as in Lambda, plus the tier refresher.
import { serveFetch } from '../../regional/api/http/node-server.ts';
import { wireApi } from '../../regional/api/wire.ts';
import { wireRollups } from '../../regional/rollups/wire.ts';
import type { LocalContext, RunningService } from './context.ts';
import { LOCAL_AWS } from './dynamo.ts';
import { localKeyTag } from './secrets.ts';

/**
 * Starts the API on `ctx.config.ports.api` with the same wiring as the Lambda (regional/api/wire.ts),
 * except that key changes reach dynalite through an in-process propagator: right after each commit
 * (kick) and every second (sweep) for anything a kick could not deliver.
 */
export async function startApi(ctx: LocalContext): Promise<RunningService> {
  const log = ctx.logger('api');
  const wired = wireApi({
    auth: {
      kind: 'oidc',
      issuer: ctx.issuer.url,
      audience: ctx.issuer.clientId,
      jwksUri: ctx.issuer.jwksUri,
      tokenUse: 'id',
    },
    appDatabase: ctx.db.app,
    systemDatabase: ctx.db.system,
    keyTableName: ctx.keyTableName,
    dynamoEndpoint: ctx.dynamoEndpoint,
    dynamoClientConfig: LOCAL_AWS,
    poolMax: { app: 8, system: 2 },
    keyPropagation: { sweepIntervalMs: 1_000 },
    log,
    keyTagSecret: localKeyTag(ctx.secrets),
  });
  // Keeps the 5-minute, 15-minute and hourly analytics tiers current (answers are exact either way; tiers make them cheap).
  if (!wired.systemPool) throw new Error('the local API is always wired with the system role');
  const tiers = wireRollups(wired.systemPool, log).startTierRefresher(1_000);
  const server = await serveFetch(wired.api, {
    port: ctx.config.ports.api,
    corsOrigins: [`http://localhost:${ctx.config.ports.web}`, `http://127.0.0.1:${ctx.config.ports.web}`],
  });
  return {
    name: 'api',
    url: server.url,
    stack: { api_url: server.url },
    async stop() {
      await server.stop();
      await tiers.stop();
      await wired.close();
    },
  };
}
