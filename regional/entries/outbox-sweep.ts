// Lambda entry of the key-outbox sweep (EventBridge, every minute): delivers rows the inline push left behind.
import * as v from 'valibot';
import { logLevel, parseEnv, serviceName } from '../../runtime/env.ts';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { roleCredentials } from '../db/credentials.ts';
import { createPool } from '../db/pool.ts';
import type { DrainResult } from '../outbox/drain.ts';
import { type WiredOutbox, wireOutbox } from '../outbox/wire.ts';

const Env = v.object({
  KEY_TABLE_NAME: v.optional(v.pipe(v.string(), v.minLength(3)), 'llmo-api-keys'),
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: serviceName('llmo-outbox'),
});

/** Wired on the first invocation (a configuration error fails it loudly) and kept. */
function init(): { outbox: WiredOutbox; log: ReturnType<typeof createLambdaLogger> } {
  const env = parseEnv(Env);
  const log = createLambdaLogger(env.POWERTOOLS_SERVICE_NAME, env.LOG_LEVEL);
  // SYSTEM_DATABASE_URL locally; in AWS the secret by ARN, re-read when a rotated password is refused.
  const pool = createPool(roleCredentials('system'), {
    max: 1,
    applicationName: 'llmo-outbox-sweep',
    log,
  });
  return { outbox: wireOutbox(pool, { keyTableName: env.KEY_TABLE_NAME }, log), log };
}
let wired: ReturnType<typeof init> | undefined;

/**
 * One sweep; throws (so the invocation counts as failed and alarms) only if the database is
 * unreachable. While rows are pending it keeps passing every second until 5 s before its timeout,
 * which is longer than the schedule's minute, so some sweep is always probing during an outage.
 */
export async function handler(
  _event: unknown,
  context?: { getRemainingTimeInMillis(): number },
): Promise<DrainResult> {
  wired ??= init();
  const result = await wired.outbox.sweep(() => (context ? context.getRemainingTimeInMillis() - 5_000 : 0));
  wired.log.info('sweep done', { ...result });
  return result;
}
