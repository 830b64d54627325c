// Builds both stacks into an app; shared by app.ts (real bundles) and the tests (inline code).
import type { App } from 'aws-cdk-lib';
import type { InfraConfig } from './config.ts';
import { CoreStack } from './core-stack.ts';
import { EDGE_REGION, EdgeStack } from './edge-stack.ts';
import type { LambdaCode } from './lambda-code.ts';

/** Both stacks of the system. */
export type SystemStacks = { core: CoreStack; edge: EdgeStack };

/**
 * Core first, then edge: the edge has no CloudFormation reference to the core stack (its grants use
 * the configured names), but ingesting into a stream that does not exist yet would 503, so the
 * explicit dependency makes `deploy --all` order them.
 */
export function buildStacks(app: App, config: InfraConfig, code: LambdaCode, account?: string): SystemStacks {
  const core = new CoreStack(app, 'LlmoCore', {
    env: { account, region: config.coreRegion },
    description: 'LLM Observer core: landing, loader, Aurora, key cache, auth, regional API',
    config,
    code,
  });
  const edge = new EdgeStack(app, 'LlmoEdge', {
    env: { account, region: EDGE_REGION },
    description: 'LLM Observer edge: CloudFront + Lambda@Edge ingest',
    config,
    code,
  });
  edge.addStackDependency(core, 'ingest writes to the core stream and reads the key table');
  return { core, edge };
}
