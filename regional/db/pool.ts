// Creates pg pools with the settings every service uses (statement timeout, bigint parsing, app name).
import pg from 'pg';
import { envLogLevel } from '../../runtime/env.ts';
import { createLogger, type Logger } from '../../runtime/log.ts';
import type { DatabaseCredentials } from './credentials.ts';

// int8 (bigint) arrives as a JS number: every count and token sum we store stays below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// numeric likewise (cost sums); precision beyond double is not meaningful for dollars here.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Pool options beyond the connection string. */
export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /** Server-side cap per statement, so a runaway query cannot hold a connection forever. */
  statementTimeoutMs?: number;
  /**
   * Told when an idle pooled connection is dropped by the server (failover, scaling, shutdown). pg
   * emits that on the pool, where an unheard 'error' would crash the process; the pool replaces the
   * connection on next use. Default: one warn line on `log`.
   */
  onIdleError?: (error: Error) => void;
  /** The process's logger, for the warn line about a lost idle connection (else a `db-pool` logger). */
  log?: Pick<Logger, 'warn'>;
}

const fallbackLog = createLogger({ service: 'db-pool', level: envLogLevel() });

/** SQLSTATE 28P01: the password was refused (e.g. rotated since we read it). */
const INVALID_PASSWORD = '28P01';

/**
 * A pool that logs in with the credentials' current password and, when the server refuses it, asks
 * the credentials for a fresh one (a rotated secret) and tries once more. pg-pool's `query` goes
 * through `connect`, so both paths are covered.
 */
class CredentialPool extends pg.Pool {
  readonly #credentials: DatabaseCredentials;

  constructor(config: pg.PoolConfig, credentials: DatabaseCredentials) {
    super(config);
    this.#credentials = credentials;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  override connect(
    callback?: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): Promise<pg.PoolClient> | undefined {
    const attempt = this.#connectRefreshing();
    if (!callback) return attempt;
    attempt.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | boolean)),
      (error: Error) => callback(error, undefined, () => {}),
    );
    return undefined;
  }

  async #connectRefreshing(): Promise<pg.PoolClient> {
    const used = await this.#credentials.password();
    try {
      return await super.connect();
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_PASSWORD) throw error;
      if (!(await this.#credentials.refreshAfterLoginFailure(used))) throw error;
      return await super.connect();
    }
  }
}

/** One role's database: a connection string (tests, the local stack) or rotating credentials (AWS). */
export type DatabaseSource = string | DatabaseCredentials;

/**
 * A pool for one role: a connection string (tests, local tools) or credentials that may change under
 * a running process (a rotated Secrets Manager secret), re-read when a login is refused.
 */
export function createPool(source: DatabaseSource, options: PoolOptions = {}): pg.Pool {
  const shared: pg.PoolConfig = {
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'llmo',
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
  };
  const pool =
    typeof source === 'string'
      ? new pg.Pool({ ...shared, connectionString: source })
      : 'connectionString' in source.target
        ? new pg.Pool({ ...shared, ...source.target })
        : new CredentialPool({ ...shared, ...source.target, password: () => source.password() }, source);
  const log = options.log ?? fallbackLog;
  pool.on(
    'error',
    options.onIdleError ??
      ((error: Error) => log.warn('idle database connection lost', { error: error.message })),
  );
  return pool;
}
