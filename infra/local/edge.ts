// Local-stack service: the edge ingest router on a Node HTTP server, plus the demo project's API key.
import { createServer, type Server } from 'node:http';
import { createNodeListener } from '../../edge/src/adapters/node-http.ts';
import { DEFAULT_TUNING, type EdgeConfig, parseEdgeConfig } from '../../edge/src/config.ts';
import { wireEdge } from '../../edge/src/wire.ts';
import { createPool } from '../../regional/db/pool.ts';
import { wireOutbox } from '../../regional/outbox/wire.ts';
import type { Logger } from '../../runtime/log.ts';
import type { LocalContext, RunningService } from './context.ts';
import { ensureDemoApiKey } from './demo-api-key.ts';
import { LOCAL_AWS } from './dynamo.ts';
import type { FirehoseExports } from './firehose.ts';
import { listenLocal } from './listen.ts';
import { localKeyTag, localKeyTagSecrets } from './secrets.ts';

/** A running edge HTTP server. */
export interface LocalEdgeServer {
  url: string;
  stop(): Promise<void>;
}

/** The edge configuration for local endpoints (same tuning as the bundle unless overridden). */
export function localEdgeConfig(options: {
  streamName: string;
  keyTableName: string;
  firehoseEndpoint: string;
  dynamoEndpoint: string;
  /** Tag secrets the edge accepts (version → secret); locally the one in `.data/secrets.json`. */
  keyTagSecrets: Readonly<Record<string, string>>;
  logLevel: EdgeConfig['logLevel'];
  keyCache?: Partial<EdgeConfig['keyCache']>;
  sink?: Partial<EdgeConfig['sink']>;
  rateLimit?: Partial<EdgeConfig['rateLimit']>;
}): EdgeConfig {
  return parseEdgeConfig(
    {
      coreRegion: LOCAL_AWS.region,
      streamName: options.streamName,
      keyTableName: options.keyTableName,
      replicaRegions: [LOCAL_AWS.region],
      nearestReplica: {},
      firehoseEndpoint: options.firehoseEndpoint,
      dynamoEndpoint: options.dynamoEndpoint,
      keyTagSecrets: { ...options.keyTagSecrets },
      keyCache: { ...DEFAULT_TUNING.keyCache, ...options.keyCache },
      sink: { ...DEFAULT_TUNING.sink, ...options.sink },
      rateLimit: { ...DEFAULT_TUNING.rateLimit, ...options.rateLimit },
      timestamps: { ...DEFAULT_TUNING.timestamps },
      logLevel: options.logLevel,
    },
    'the local stack',
  );
}

/** Starts the edge on 127.0.0.1:`port` (0 = any free port) with real SDK clients against `config`'s endpoints. */
export async function startEdgeServer(options: {
  port: number;
  config: EdgeConfig;
  log?: Logger;
  /** The edge's clock (key-cache ages, rate limits, received_at); tests pass one they move by hand. */
  now?: () => number;
}): Promise<LocalEdgeServer> {
  const wired = wireEdge(options.config, {
    credentials: LOCAL_AWS.credentials,
    ...(options.log ? { log: options.log } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const server: Server = createServer(createNodeListener(wired.deps));
  server.keepAliveTimeout = 65_000;
  const listening = await listenLocal(server, options.port);
  return {
    url: `http://127.0.0.1:${listening.port}`,
    async stop() {
      await listening.close();
      wired.close();
    },
  };
}

/** Local-stack entry: needs the `firehose` service started before it. */
export async function startEdge(ctx: LocalContext): Promise<RunningService> {
  const firehose = ctx.services.get('firehose')?.exports as FirehoseExports | undefined;
  if (!firehose) throw new Error('the edge needs the firehose service to be started first');
  const app = createPool(ctx.db.app, { max: 1, applicationName: 'llmo-edge-demo-key' });
  const system = createPool(ctx.db.system, { max: 1, applicationName: 'llmo-edge-demo-key' });
  const outbox = wireOutbox(
    system,
    { keyTableName: ctx.keyTableName, dynamoEndpoint: ctx.dynamoEndpoint, clientConfig: LOCAL_AWS },
    ctx.logger('edge'),
  );
  const apiKey = await ensureDemoApiKey({
    app,
    system,
    outbox,
    dataDir: ctx.config.dataDir,
    orgId: ctx.demo.orgId,
    projectId: ctx.demo.projectId,
    keyTag: localKeyTag(ctx.secrets),
  }).finally(async () => {
    outbox.close();
    await Promise.all([app.end(), system.end()]);
  });
  const server = await startEdgeServer({
    port: ctx.config.ports.ingest,
    config: localEdgeConfig({
      streamName: ctx.config.firehoseStream,
      keyTableName: ctx.keyTableName,
      firehoseEndpoint: firehose.firehoseEndpoint,
      dynamoEndpoint: ctx.dynamoEndpoint,
      keyTagSecrets: localKeyTagSecrets(ctx.secrets),
      logLevel: ctx.config.logLevel,
    }),
  });
  const ingestUrl = server.url.replace('127.0.0.1', 'localhost');
  return {
    name: 'edge',
    url: ingestUrl,
    stack: { ingest_url: ingestUrl, demo_api_key: apiKey },
    stop: server.stop,
  };
}
