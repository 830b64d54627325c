// Where each Lambda's code comes from: built bundles under dist/ in production, inline stubs in tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';

/**
 * The bundles the stacks deploy, each a folder `dist/<name>/` holding `index.mjs` that exports the
 * named handler. `source` says which entry point the bundle is built from (owned by other areas).
 */
export const BUNDLES = {
  /** Lambda@Edge origin-request router, built by edge/build.ts with its configuration baked in. */
  edge: { handler: 'index.handler', source: 'edge/src/lambda.ts (export handler)' },
  /** SQS → S3 landing objects → Aurora (regional/loader/sqs-handler.ts createSqsHandler). */
  loader: { handler: 'index.handler', source: 'regional/loader Lambda entry (export handler)' },
  /** API Gateway v2 adapter around regional/api/router.ts; deployed twice (analytics, admin). */
  api: { handler: 'index.handler', source: 'regional/api Lambda entry (export handler)' },
  /** Outbox sweep: one drainKeyOutbox pass per scheduled invocation (regional/outbox/drain.ts). */
  outbox: { handler: 'index.handler', source: 'regional/outbox Lambda entry (export handler)' },
  /** Daily partition maintenance: ensure future partitions, drop those past retention. */
  maintenance: { handler: 'index.handler', source: 'regional/loader maintenance entry (export handler)' },
  /** Runs roles + migrations as the owner (invoked by the operator after each deploy). */
  migrate: { handler: 'index.handler', source: 'regional/db migrate entry (export handler)' },
} as const;

/** Name of a deployable bundle. */
export type BundleName = keyof typeof BUNDLES;

/** Supplies the code of a bundle; the stacks only ever ask this, so tests can synthesize without builds. */
export interface LambdaCode {
  code(bundle: BundleName): Code;
}

/** Raised at synthesis when a bundle was not built; names the folder that is missing. */
export class MissingBundleError extends Error {
  override name = 'MissingBundleError';
}

/** Production: `Code.fromAsset('<root>/dist/<bundle>')`, failing loudly if the bundle was not built. */
export function assetCode(rootDir: string): LambdaCode {
  return {
    code(bundle) {
      const dir = path.join(rootDir, 'dist', bundle);
      if (!existsSync(path.join(dir, 'index.mjs'))) {
        throw new MissingBundleError(
          `bundle "${bundle}" not built: ${dir}/index.mjs is missing (build ${BUNDLES[bundle].source} first)`,
        );
      }
      return Code.fromAsset(dir);
    },
  };
}

/** Tests: a tiny inline handler per bundle, so synthesis needs no build output. */
export function inlineCode(): LambdaCode {
  return {
    code: (bundle) => Code.fromInline(`exports.handler = async () => ({ stub: ${JSON.stringify(bundle)} });`),
  };
}
