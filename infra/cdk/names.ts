// Names of core resources other stacks refer to (the dashboard lives in the edge stack), all derived from the environment.
import type { InfraConfig } from './config.ts';

/** Regional functions by their short name (alarm names use the same). */
export const FUNCTION_NAMES = [
  'loader',
  'maintenance',
  'tiers',
  'migrate',
  'create-organization',
  'analytics',
  'admin',
  'outbox',
] as const;
/** Short name of a regional function. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The physical names of an environment's core resources, `llmo-<env>-…`. */
export function coreNames(config: InfraConfig) {
  const p = config.prefix;
  return {
    stream: config.streamName,
    keyTable: config.keyTableName,
    cluster: `${p}-db`,
    queue: `${p}-landing-objects`,
    deadLetterQueue: `${p}-landing-dlq`,
    function: (name: FunctionName) => `${p}-${name}`,
    /** The edge function; Lambda@Edge logs and publishes metrics as `us-east-1.<name>` in each region. */
    edgeFunction: `${config.edgeStackName}-ingest`,
    dashboard: p,
  };
}
