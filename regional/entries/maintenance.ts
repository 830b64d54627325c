// Lambda entry of partition maintenance (scheduled hourly): create partitions ahead, drop those past retention.
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { type DatabaseCredentials, roleCredentials } from '../db/credentials.ts';
import { createPool } from '../db/pool.ts';
import { loadLoaderConfig } from '../loader/config.ts';
import { wireRollups } from '../rollups/wire.ts';

const config = loadLoaderConfig(process.env, 'llmo-maintenance');
const log = createLambdaLogger(config.serviceName, config.logLevel);
// Kept across invocations: the secret is read once, and again only when a rotated password is refused.
let credentials: DatabaseCredentials | undefined;

/** One maintenance pass per invocation; throws (so the alarm fires) when it fails. */
export async function handler(): Promise<{ created: number; dropped: string[] }> {
  credentials ??= roleCredentials('system');
  const pool = createPool(credentials, {
    max: 1,
    applicationName: 'llmo-maintenance',
    statementTimeoutMs: 60_000,
  });
  try {
    const { created, dropped } = await wireRollups(pool, log, config).maintain();
    return { created, dropped };
  } finally {
    await pool.end();
  }
}
