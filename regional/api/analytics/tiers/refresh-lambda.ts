// Scheduled Lambda (EventBridge, every minute; or a loop in a long-lived task): rebuilds dirty analytics tier blocks.
import { Logger } from '@aws-lambda-powertools/logger';
import * as v from 'valibot';
import { createPool } from '../../../db/pool.ts';
import { refreshAnalyticsTiers } from './refresh.ts';

const logger = new Logger({ serviceName: 'analytics-tiers' });
const Env = v.object({
  SYSTEM_DATABASE_URL: v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
});
let pool: ReturnType<typeof createPool> | undefined;

/** Refreshes until no dirty block is left; answers stay exact meanwhile (dirty blocks read per-minute rows). */
export async function handler(): Promise<{ blocks: number }> {
  if (!pool) {
    const parsed = v.safeParse(Env, process.env);
    if (!parsed.success)
      throw new Error(`Invalid configuration: SYSTEM_DATABASE_URL ${parsed.issues[0]?.message ?? ''}`);
    pool = createPool(parsed.output.SYSTEM_DATABASE_URL, {
      max: 1,
      applicationName: 'llmo-analytics-tiers',
      onIdleError: (error) => logger.warn('idle database connection lost', { error: error.message }),
    });
  }
  const blocks = await refreshAnalyticsTiers({
    pool,
    onError: (error) => logger.warn('tier block refresh failed', { error: String(error) }),
  });
  logger.info('tiers refreshed', { blocks });
  return { blocks };
}
