// Composition root of the regional API: pools, token verifier, key propagation and router, for Lambda and the local stack.
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type pg from 'pg';
import type { KeyTagSecret } from '../../contract/index.ts';
import type { Logger } from '../../runtime/log.ts';
import { createPool, type DatabaseSource } from '../db/pool.ts';
import type { KeyPropagator } from '../outbox/propagator.ts';
import { wireOutbox } from '../outbox/wire.ts';
import { type AuthConfig, createTokenVerifier } from './auth/verifier.ts';
import { createRegionalApi, type RegionalApi } from './router.ts';

/** Everything the API needs, already validated (regional/api/config.ts in Lambda, infra/local in the local stack). */
export interface ApiWiring {
  auth: AuthConfig;
  /** `llmo_app`: row-level security applies. A URL locally, the role's secret in AWS. */
  appDatabase: DatabaseSource;
  /**
   * `llmo_system`: the key outbox. Absent for the analytics function, which never changes a key and
   * so never holds the cross-tenant role; a key change would then wait for the scheduled sweep.
   */
  systemDatabase: DatabaseSource | undefined;
  keyTableName: string;
  dynamoEndpoint?: string | undefined;
  /** Local stand-ins only (region + dummy credentials). */
  dynamoClientConfig?: DynamoDBClientConfig;
  maxRangeDays?: number;
  /** The tag secret new API keys are minted with; absent in analytics-only functions. */
  keyTagSecret: KeyTagSecret | undefined;
  /** Pool sizes: a Lambda answers one request at a time, a long-lived server many. */
  poolMax: { app: number; system: number };
  /**
   * How key changes reach the key cache. `inline`: drained before the answer (a Lambda is frozen
   * after it answers; what fails stays for the scheduled sweep). A number: a propagator in this
   * process, kicked after each commit and sweeping every that many ms (long-lived server).
   */
  keyPropagation: 'inline' | { sweepIntervalMs: number };
  log: Logger;
}

/** The wired API and how to release it. */
export interface WiredApi {
  api: RegionalApi;
  /** The `llmo_system` pool (also serves the rollup jobs in a long-lived process), when configured. */
  systemPool: pg.Pool | undefined;
  close(): Promise<void>;
}

/** Builds the API's dependencies once per process (per container in Lambda). */
export function wireApi(w: ApiWiring): WiredApi {
  // A dropped idle connection (failover, scaling, restart) is logged; the pool reconnects on next use.
  const app = createPool(w.appDatabase, { max: w.poolMax.app, applicationName: 'llmo-api', log: w.log });
  const system =
    w.systemDatabase === undefined
      ? undefined
      : createPool(w.systemDatabase, {
          max: w.poolMax.system,
          applicationName: 'llmo-api-outbox',
          log: w.log,
        });
  const outbox =
    system &&
    wireOutbox(
      system,
      {
        keyTableName: w.keyTableName,
        dynamoEndpoint: w.dynamoEndpoint,
        ...(w.dynamoClientConfig ? { clientConfig: w.dynamoClientConfig } : {}),
      },
      w.log,
    );
  let propagator: KeyPropagator | undefined;
  let onKeyChange: (() => Promise<void>) | undefined;
  if (!outbox) {
    onKeyChange = undefined;
  } else if (w.keyPropagation === 'inline') {
    onKeyChange = async () => {
      await outbox.drain();
    };
  } else {
    const started = outbox.startPropagator(w.keyPropagation.sweepIntervalMs);
    propagator = started;
    onKeyChange = started.kick;
  }
  const api = createRegionalApi({
    verifier: createTokenVerifier(w.auth),
    db: app,
    clock: () => new Date(),
    keyTagSecret: w.keyTagSecret,
    ...(w.maxRangeDays === undefined ? {} : { maxRangeDays: w.maxRangeDays }),
    ...(onKeyChange ? { onKeyChange } : {}),
    logError: (message, details) => w.log.error(message, details),
  });
  return {
    api,
    systemPool: system,
    async close() {
      await propagator?.stop();
      outbox?.close();
      await Promise.all([app.end(), system?.end()]);
    },
  };
}
