// Builds both stacks of one environment into an app; shared by app.ts (real bundles) and the tests (inline code).
import { type App, Tags } from 'aws-cdk-lib';
import type { InfraConfig } from './config.ts';
import { CoreStack } from './core-stack.ts';
import { EDGE_REGION, EdgeStack } from './edge-stack.ts';
import type { LambdaCode } from './lambda-code.ts';

/** Both stacks of the system. */
export type SystemStacks = { core: CoreStack; edge: EdgeStack };

/** Tags every resource of an environment carries (cost allocation, ownership, which environment). */
export function environmentTags(config: InfraConfig): Record<string, string> {
  return { project: 'llm-observer', environment: config.envName, 'managed-by': 'aws-cdk' };
}

/**
 * Core first, then edge: the edge has no CloudFormation reference to the core stack (its grants use
 * the configured names), but ingesting into a stream that does not exist yet would 503, so the
 * explicit dependency makes `deploy --all` order them. Stack names come from the environment, so
 * dev and stage can live in one account.
 */
export function buildStacks(
  app: App,
  config: InfraConfig,
  code: LambdaCode,
  options: { synthOnlyEdgeBundle?: boolean } = {},
): SystemStacks {
  const core = new CoreStack(app, config.coreStackName, {
    env: { account: config.account, region: config.coreRegion },
    description: `LLM Observer core (${config.envName}): landing, loader, Aurora, key cache, auth, regional API`,
    terminationProtection: config.terminationProtection,
    config,
    code,
  });
  const edge = new EdgeStack(app, config.edgeStackName, {
    env: { account: config.account, region: EDGE_REGION },
    description: `LLM Observer edge (${config.envName}): CloudFront + Lambda@Edge ingest, WAF`,
    terminationProtection: config.terminationProtection,
    config,
    code,
    synthOnlyBundle: options.synthOnlyEdgeBundle ?? false,
  });
  edge.addStackDependency(core, 'ingest writes to the core stream and reads the key table');
  for (const stack of [core, edge]) {
    for (const [key, value] of Object.entries(environmentTags(config))) Tags.of(stack).add(key, value);
  }
  return { core, edge };
}
