// Scheduled Lambda (EventBridge, every minute): delivers key-outbox rows that the inline push left behind.

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as v from 'valibot';
import { createPool } from '../db/pool.ts';
import { type DrainResult, drainKeyOutbox } from './drain.ts';
import { dynamoKeyCacheWriter } from './dynamo-key-store.ts';

const logger = new Logger({ serviceName: 'key-outbox-sweep' });

const Env = v.object({
  SYSTEM_DATABASE_URL: v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  KEY_TABLE_NAME: v.optional(v.pipe(v.string(), v.minLength(3)), 'llmo-api-keys'),
});

let drain: (() => Promise<DrainResult>) | undefined;

function build(): () => Promise<DrainResult> {
  const parsed = v.safeParse(Env, process.env);
  if (!parsed.success) {
    const name = parsed.issues[0]?.path?.map((p) => String(p.key)).join('.') ?? 'environment';
    throw new Error(`Invalid configuration: ${name} ${parsed.issues[0]?.message ?? ''}`);
  }
  const pool = createPool(parsed.output.SYSTEM_DATABASE_URL, {
    max: 1,
    applicationName: 'llmo-outbox-sweep',
    onIdleError: (error) => logger.warn('idle database connection lost', { error: error.message }),
  });
  const writer = dynamoKeyCacheWriter(new DynamoDBClient({}), parsed.output.KEY_TABLE_NAME);
  return () =>
    drainKeyOutbox({
      pool,
      writer,
      onError: ({ outboxId, prefix, attempts, error }) =>
        logger.warn('key propagation failed', { outboxId, prefix, attempts, error: String(error) }),
    });
}

/** One sweep; throws (so the invocation counts as failed and alarms) only if the database is unreachable. */
export async function handler(): Promise<DrainResult> {
  drain ??= build();
  const result = await drain();
  logger.info('sweep done', { ...result });
  return result;
}
