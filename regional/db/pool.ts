// Creates pg pools with the settings every service uses (statement timeout, bigint parsing, app name).
import pg from 'pg';

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
   * connection on next use. Default: one JSON line on stderr.
   */
  onIdleError?: (error: Error) => void;
}

const logIdleError = (error: Error): void => {
  process.stderr.write(
    `${JSON.stringify({ level: 'WARN', message: 'idle database connection lost', error: error.message })}\n`,
  );
};

/** A pool for one role's connection string. */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'llmo',
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', options.onIdleError ?? logIdleError);
  return pool;
}
