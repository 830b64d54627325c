// Lambda entry of the analytics tier refresh (EventBridge, every minute): rebuilds dirty tier blocks.
import * as v from 'valibot';
import { logLevel, parseEnv, serviceName } from '../../runtime/env.ts';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { roleCredentials } from '../db/credentials.ts';
import { createPool } from '../db/pool.ts';
import { type WiredRollups, wireRollups } from '../rollups/wire.ts';

const Env = v.object({
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: serviceName('llmo-tiers'),
});

/** Wired on the first invocation (a configuration error fails it loudly) and kept. */
function init(): { rollups: WiredRollups; log: ReturnType<typeof createLambdaLogger> } {
  const env = parseEnv(Env);
  const log = createLambdaLogger(env.POWERTOOLS_SERVICE_NAME, env.LOG_LEVEL);
  // SYSTEM_DATABASE_URL locally; in AWS the secret by ARN, re-read when a rotated password is refused.
  const pool = createPool(roleCredentials('system'), {
    max: 1,
    applicationName: 'llmo-analytics-tiers',
    log,
  });
  return { rollups: wireRollups(pool, log), log };
}
let wired: ReturnType<typeof init> | undefined;

/** Time left for the block in flight when the budget runs out (a block takes well under a second). */
const FINISH_MS = 10_000;

/**
 * Refreshes until no dirty block is left or the invocation's time is nearly up (a backlog, e.g. after a
 * migration marks every block, continues on the next run); answers stay exact meanwhile (dirty blocks
 * read per-minute rows).
 */
export async function handler(
  _event?: unknown,
  context?: { getRemainingTimeInMillis(): number },
): Promise<{ blocks: number }> {
  wired ??= init();
  const budget = context ? Math.max(0, context.getRemainingTimeInMillis() - FINISH_MS) : undefined;
  const blocks = await wired.rollups.refreshTiers(budget);
  wired.log.info('tiers refreshed', { blocks });
  return { blocks };
}
