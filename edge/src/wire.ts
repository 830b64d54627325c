// Builds the real dependencies (DynamoDB key store, Firehose sink) from one validated EdgeConfig.

import { keyTagVerifier } from '../../contract/index.ts';
import { createLogger, type Logger } from '../../runtime/log.ts';
import { createDynamoKeyStore } from './auth/dynamo-key-store.ts';
import { KeyCache } from './auth/key-cache.ts';
import { KeyRateLimiter } from './auth/rate-limiter.ts';
import { type EdgeConfig, replicaRegionFor } from './config.ts';
import type { EdgeDeps } from './deps.ts';
import { BatchingSink } from './sink/batching-sink.ts';
import { createFirehosePutRecordBatch } from './sink/firehose-client.ts';

/** Extra wiring for the local stack and tests. */
export interface WireOptions {
  /** Region the code runs in (AWS_REGION in Lambda). */
  runningRegion?: string;
  /** Local stand-ins accept any credentials; in AWS the execution role is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  log?: Logger;
  /** Milliseconds since the epoch; tests move it by hand instead of sleeping. */
  now?: () => number;
}

/** Deps plus a way to release sockets (tests, local stack shutdown). */
export interface WiredEdge {
  deps: EdgeDeps;
  close(): void;
}

/** Creates the edge's dependencies; call once per process (module scope in Lambda). */
export function wireEdge(config: EdgeConfig, options: WireOptions = {}): WiredEdge {
  const log = options.log ?? createLogger({ service: 'edge', level: config.logLevel });
  const store = createDynamoKeyStore({
    region: replicaRegionFor(config, options.runningRegion),
    tableName: config.keyTableName,
    timeoutMs: config.keyCache.lookupTimeoutMs,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const put = createFirehosePutRecordBatch({
    region: config.coreRegion,
    streamName: config.streamName,
    requestTimeoutMs: config.sink.deadlineMs,
    ...(config.firehoseEndpoint ? { endpoint: config.firehoseEndpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const now = options.now ?? Date.now;
  const sink = new BatchingSink(put, {
    ...config.sink,
    now,
    // Per-record retries are routine under throttling; a request that finally fails is logged as an error.
    onRetry: (info) => log.debug('firehose record retry', info),
  });
  const keys = new KeyCache(store, config.keyCache, now);
  return {
    deps: {
      keys,
      keyTag: keyTagVerifier(config.keyTagSecrets),
      rateLimit: new KeyRateLimiter(config.rateLimit),
      sink,
      clock: { now },
      edgeRegion: options.runningRegion ?? 'local',
      timestamps: config.timestamps,
      sinkDeadlineMs: config.sink.deadlineMs,
      log,
    },
    close() {
      store.destroy();
      put.destroy();
    },
  };
}
