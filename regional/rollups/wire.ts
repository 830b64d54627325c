// Composition root of rollup upkeep: partition maintenance and analytics tier refresh, for Lambdas and the local stack.
import type pg from 'pg';
import type { Logger } from '../../runtime/log.ts';
import {
  DEFAULT_PARTITION_POLICY,
  type MaintenanceResult,
  maintainPartitions,
  type PartitionPolicy,
} from './partitions.ts';
import { refreshAnalyticsTiers, startTierRefresher } from './tiers/refresh.ts';

/** The wired upkeep jobs, all on the `llmo_system` pool. */
export interface WiredRollups {
  /** One partition maintenance pass (retention, then partitions ahead); rejects when it fails. */
  maintain(): Promise<MaintenanceResult>;
  /** Rebuilds dirty tier blocks until none is left (or `budgetMs` has passed); returns how many. */
  refreshTiers(budgetMs?: number): Promise<number>;
  /** Long-lived processes: refresh tiers every `intervalMs` until stopped. */
  startTierRefresher(intervalMs: number): { stop(): Promise<void> };
}

/** Wires the rollup jobs on the `llmo_system` pool. */
export function wireRollups(
  pool: pg.Pool,
  log: Logger,
  policy: PartitionPolicy = DEFAULT_PARTITION_POLICY,
): WiredRollups {
  const onError = (error: unknown) => log.warn('analytics tier refresh failed', { error: String(error) });
  return {
    async maintain() {
      const result = await maintainPartitions(pool, policy);
      log.info('partition maintenance', { ...result });
      return result;
    },
    refreshTiers: (budgetMs) => refreshAnalyticsTiers({ pool, onError, budgetMs }),
    startTierRefresher: (intervalMs) => startTierRefresher({ pool, intervalMs, onError }),
  };
}
