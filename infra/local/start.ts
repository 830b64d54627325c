// `npm start`: runs the whole system on one machine with local stand-ins for AWS; Ctrl-C finishes the work in flight and stops it all.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { migrate } from '../../regional/db/migrate.ts';
import { createPool } from '../../regional/db/pool.ts';
import { databaseUrls, redactUrl } from '../../regional/db/urls.ts';
import { createLogger, type Logger, type LogLevel } from '../../runtime/log.ts';
import { startApi } from './api.ts';
import { loadLocalConfig } from './config.ts';
import type { LocalContext, RunningService, StackInfo, StartService } from './context.ts';
import { ensureKeyTable, startDynalite } from './dynamo.ts';
import { startEdge } from './edge.ts';
import { startFirehose } from './firehose.ts';
import { loadOrCreateSigningJwk } from './issuer-keys.ts';
import { forgetChild, recordChild, stillRunning, stopLeftovers } from './leftovers.ts';
import { startLoader } from './loader.ts';
import { LOCAL_CLIENT_ID, startLocalIssuer } from './oidc.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { loadOrCreateSecrets } from './secrets.ts';
import { seedDemo } from './seed.ts';
import { type Stoppable, signalGate, stopInOrder } from './shutdown.ts';
import { stackFilePath } from './stack-file.ts';
import { readUsers } from './users.ts';
import { startWeb } from './web.ts';

/**
 * The product's services, started in this order after the shared infrastructure; each module owns
 * its part (landing store, Firehose, loader, edge, regional API, dashboard).
 */
const SERVICES: StartService[] = [startFirehose, startLoader, startEdge, startApi, startWeb];

/** Started parts in start order; shutdown stops them in its own order (infra/local/shutdown.ts). */
const stops: Stoppable[] = [];
/** Long enough for a buffer interval, a landing and a load; what is left waits on disk for the next start. */
const DRAIN_TIMEOUT_MS = 10_000;
let dataDir = '';

// LOG_LEVEL (infra/local/config.ts) applies to every local service once the configuration is read.
let logLevel: LogLevel = 'info';
const loggers = new Map<string, Logger>();

/** The logger of one local service (runtime/log.ts shape, `service` = its name). */
function logger(service: string): Logger {
  let found = loggers.get(service);
  if (!found) {
    found = createLogger({ service, level: logLevel });
    loggers.set(service, found);
  }
  return found;
}

function log(service: string, message: string, fields: Record<string, unknown> = {}): void {
  logger(service).info(message, fields);
}

async function main(): Promise<void> {
  const config = loadLocalConfig();
  logLevel = config.logLevel;
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // Owner-only, except as root: there the `postgres` user must still pass through it to a cluster in
  // .data/postgres (its own folder is 0700 anyway, and the tenant-data folders under it always are).
  if (process.getuid?.() !== 0) await chmod(config.dataDir, 0o700);
  // Another stack on this data folder still runs: its children are not leftovers, so leave them be.
  const other = await stillRunning(config.dataDir, 'stack');
  if (other) {
    throw new Error(`another npm start (pid ${other.pid}) is running with the data folder ${config.dataDir}`);
  }
  // A run killed with kill -9 could not stop its children: stop them now, before their ports are needed.
  for (const left of await stopLeftovers(config.dataDir)) {
    log('stack', 'stopped a process the previous run left behind', {
      child: left.name,
      pid: left.pid,
      command: left.cmdline,
    });
  }
  await recordChild(config.dataDir, 'stack', { pid: process.pid, group: false });
  dataDir = config.dataDir;
  const secrets = await loadOrCreateSecrets(config.dataDir);

  let ownerUrl = config.databaseUrl;
  if (!ownerUrl) {
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      port: config.ports.postgres,
      password: secrets.postgresPassword,
      persistent: true,
      ownSession: true,
      onNotice: (line) => log('postgres', line),
    });
    await recordChild(config.dataDir, 'postgres', { pid: cluster.pid, group: false, signal: 'SIGINT' });
    stops.push({
      name: 'postgres',
      stop: async () => {
        await cluster.stop();
        await forgetChild(config.dataDir, 'postgres');
      },
    });
    ownerUrl = cluster.url;
    log('postgres', 'embedded PostgreSQL started', { url: redactUrl(ownerUrl) });
  }
  const applied = await migrate({
    ownerUrl,
    passwords: { app: secrets.appPassword, system: secrets.systemPassword },
  });
  log('postgres', applied.length ? `applied ${applied.length} migration(s)` : 'schema up to date', {
    applied,
  });
  const db = databaseUrls(ownerUrl, { app: secrets.appPassword, system: secrets.systemPassword });

  const dynamo = await startDynalite({
    port: config.ports.dynamodb,
    dataDir: path.join(config.dataDir, 'dynamodb'),
  });
  stops.push({ name: 'dynamodb', stop: dynamo.stop });
  await ensureKeyTable(dynamo.endpoint, config.keyTableName);
  log('dynamodb', 'dynalite started', { endpoint: dynamo.endpoint, table: config.keyTableName });

  const key = await loadOrCreateSigningJwk(path.join(config.dataDir, 'oidc', 'signing-key.json'));
  const webUrl = `http://localhost:${config.ports.web}`;
  const issuer = await startLocalIssuer({
    port: config.ports.issuer,
    key,
    users: () => readUsers(path.join(config.dataDir, 'users.json')),
    redirectUris: [`${webUrl}/api/auth/callback`],
    postLogoutRedirectUris: [`${webUrl}/signed-out`],
    cookieSecret: secrets.cookieSecret,
  });
  stops.push({ name: 'issuer', stop: issuer.stop });
  log('issuer', 'local OIDC issuer started', { issuer: issuer.issuer });

  const system = createPool(db.system, { max: 2, applicationName: 'llmo-seed' });
  const demo = await seedDemo(system, config.dataDir, secrets.demoPassword).finally(() => system.end());

  const ctx: LocalContext = {
    config,
    secrets,
    db,
    dynamoEndpoint: dynamo.endpoint,
    keyTableName: config.keyTableName,
    issuer: { url: issuer.issuer, jwksUri: issuer.jwksUri, clientId: LOCAL_CLIENT_ID, key },
    demo,
    logger,
    services: new Map<string, RunningService>(),
  };
  const stack: StackInfo = {
    issuer: issuer.issuer,
    database_url: db.owner,
    demo: {
      org_id: demo.orgId,
      project_id: demo.projectId,
      admin_email: demo.adminEmail,
      member_email: demo.memberEmail,
      password: demo.password,
    },
  };
  for (const start of SERVICES) {
    const service = await start(ctx);
    stops.push({
      name: service.name,
      stop: service.stop,
      ...(service.drain ? { drain: service.drain } : {}),
    });
    ctx.services.set(service.name, service);
    const { demo_api_key: apiKey, ...urls } = service.stack ?? {};
    Object.assign(stack, urls);
    if (apiKey) stack.demo.api_key = apiKey;
    log(service.name, 'started', service.url ? { url: service.url } : {});
  }

  const stackFile = stackFilePath(config.dataDir);
  await writeFile(stackFile, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  // The banner is for the person at the terminal: stderr, so stdout holds only JSON log lines.
  process.stderr.write(
    [
      '',
      'LLM Observer Cloud is running locally.',
      stack.ingest_url ? `  ingest    ${stack.ingest_url}` : undefined,
      stack.api_url ? `  api       ${stack.api_url}` : undefined,
      stack.web_url ? `  dashboard ${stack.web_url}` : undefined,
      `  issuer    ${stack.issuer}`,
      `  database  ${redactUrl(stack.database_url)}`,
      `  sign in   ${demo.adminEmail} (admin) or ${demo.memberEmail} (member), password ${demo.password}`,
      `  details   ${stackFile}`,
      'Press Ctrl-C to stop.',
      '',
    ]
      .filter((line) => line !== undefined)
      .join('\n'),
  );
}

let stopping: Promise<void> | undefined;
async function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    log('stack', 'stopping: the edge first, then the Firehose stand-in drains into the loader');
    await stopInOrder(stops, {
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
      log: (message, fields) => log('stack', message, fields),
      error: (name, error) => logger(name).error('stop failed', { error: String(error) }),
    });
    if (dataDir) await forgetChild(dataDir, 'stack');
    log('stack', 'stopped');
  })();
  await stopping;
  process.exit(code);
}

// A second Ctrl-C must not cut the drain short (one Ctrl-C may even arrive twice: terminal + npm); a third forces.
const onSignal = signalGate({
  stop: () => void shutdown(0),
  repeated: () =>
    process.stderr.write('Still stopping (delivering accepted events); press Ctrl-C again to force.\n'),
  force: () => {
    process.stderr.write(
      `Forced exit: the stop was cut short. Accepted events are kept in ${dataDir || 'the data folder'} and delivered at the next start.\n`,
    );
    process.exit(130);
  },
});
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
main().catch((error: unknown) => {
  logger('stack').error('failed to start', { error: error instanceof Error ? error.message : String(error) });
  void shutdown(1);
});
