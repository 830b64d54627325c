// Lambda entry of partition maintenance (scheduled): create partitions ahead, drop those past retention.
import { Logger } from '@aws-lambda-powertools/logger';
import { maintainPartitions } from '../db/partitions.ts';
import { createPool } from '../db/pool.ts';
import { loadLoaderConfig } from './config.ts';
import { systemDatabaseUrl } from './database-url.ts';

const config = loadLoaderConfig();
const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'llmo-maintenance',
  logLevel: config.logLevel,
});

/** One maintenance pass per scheduled invocation; throws (so the alarm fires) when it fails. */
export async function handler(): Promise<{ created: number; dropped: string[] }> {
  const pool = createPool(await systemDatabaseUrl(), {
    max: 1,
    applicationName: 'llmo-maintenance',
    statementTimeoutMs: 60_000,
  });
  try {
    const result = await maintainPartitions(pool, {
      retentionDays: config.retentionDays,
      aheadDays: config.aheadDays,
    });
    logger.info('partition maintenance', { ...result });
    return { created: result.created, dropped: result.dropped };
  } finally {
    await pool.end();
  }
}
