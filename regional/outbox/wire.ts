// Composition root of key propagation: the key-cache writer and the outbox drain, for Lambdas and the local stack alike.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type pg from 'pg';
import type { Logger } from '../../runtime/log.ts';
import { type DrainResult, drainKeyOutbox, pendingOutboxCount } from './drain.ts';
import { dynamoKeyCacheWriter, type KeyCacheWriter } from './dynamo-key-store.ts';
import { type KeyPropagator, startKeyPropagator, sweepWhilePending } from './propagator.ts';

/** Where the key-cache table is; endpoint and credentials only for local stand-ins. */
export interface KeyTableConfig {
  keyTableName: string;
  dynamoEndpoint?: string | undefined;
  /** Local stand-ins only (region + dummy credentials); in AWS the execution role and region apply. */
  clientConfig?: DynamoDBClientConfig;
}

/** The wired outbox. */
export interface WiredOutbox {
  writer: KeyCacheWriter;
  /** One drain pass (the API's inline push after a key change). */
  drain(): Promise<DrainResult>;
  /** The scheduled sweep: passes every second while rows are pending, as long as `timeLeftMs()` allows. */
  sweep(timeLeftMs: () => number): Promise<DrainResult>;
  /** Long-lived processes: kick after each commit plus a sweep every `sweepIntervalMs`. */
  startPropagator(sweepIntervalMs: number): KeyPropagator;
  /** Releases the DynamoDB client (the pool belongs to the caller). */
  close(): void;
}

/** Wires the drain on the `llmo_system` pool (which sees every org's outbox). */
export function wireOutbox(pool: pg.Pool, table: KeyTableConfig, log: Logger): WiredOutbox {
  const dynamo = new DynamoDBClient({
    ...table.clientConfig,
    ...(table.dynamoEndpoint ? { endpoint: table.dynamoEndpoint } : {}),
  });
  const writer = dynamoKeyCacheWriter(dynamo, table.keyTableName);
  const onError = ({
    outboxId,
    prefix,
    attempts,
    error,
  }: {
    outboxId: number;
    prefix: string;
    attempts: number;
    error: unknown;
  }) => log.warn('key propagation failed', { outboxId, prefix, attempts, error: String(error) });
  const drain = () => drainKeyOutbox({ pool, writer, onError });
  return {
    writer,
    drain,
    sweep: (timeLeftMs) =>
      sweepWhilePending({ drain, pending: () => pendingOutboxCount(pool), intervalMs: 1_000, timeLeftMs }),
    startPropagator: (sweepIntervalMs) =>
      startKeyPropagator({
        pool,
        writer,
        sweepIntervalMs,
        onError,
        onPassError: (error) => log.error('outbox pass failed', { error: String(error) }),
      }),
    close: () => dynamo.destroy(),
  };
}
