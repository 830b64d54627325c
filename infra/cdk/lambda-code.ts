// Where each Lambda's code comes from: built bundles under dist/ in production, inline stubs in tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';

/**
 * The bundles the stacks deploy, each a folder `dist/<name>/` holding `index.mjs` that exports the
 * named handler. `entry` is the TypeScript entry point infra/cdk/bundle.ts builds it from; the edge
 * bundle is built by edge/build.ts instead (its configuration is baked in there).
 */
export const BUNDLES = {
  /** Lambda@Edge origin-request router. */
  edge: { handler: 'index.handler', entry: 'edge/src/lambda.ts', builtBy: 'edge/build.ts' },
  /** SQS → S3 landing objects → Aurora (wraps regional/loader/sqs-handler.ts createSqsHandler). */
  loader: { handler: 'index.handler', entry: 'regional/entries/loader.ts', builtBy: 'infra/cdk/bundle.ts' },
  /** API Gateway v2 adapter around the regional router; deployed twice (analytics, admin). */
  api: { handler: 'index.handler', entry: 'regional/entries/api.ts', builtBy: 'infra/cdk/bundle.ts' },
  /** Outbox sweep: one drainKeyOutbox pass per scheduled invocation. */
  outbox: {
    handler: 'index.handler',
    entry: 'regional/entries/outbox-sweep.ts',
    builtBy: 'infra/cdk/bundle.ts',
  },
  /** Analytics tier refresh (regional/rollups): rebuilds dirty 5-minute, 15-minute and hourly blocks. */
  tiers: {
    handler: 'index.handler',
    entry: 'regional/entries/tiers-refresh.ts',
    builtBy: 'infra/cdk/bundle.ts',
  },
  /** Hourly partition maintenance (regional/rollups/partitions.ts): create ahead, drop past retention. */
  maintenance: {
    handler: 'index.handler',
    entry: 'regional/entries/maintenance.ts',
    builtBy: 'infra/cdk/bundle.ts',
  },
  /** Operator path: creates an organization (regional/ops/organization-event.ts), invoked by hand. */
  organization: {
    handler: 'index.handler',
    entry: 'regional/entries/create-organization.ts',
    builtBy: 'infra/cdk/bundle.ts',
  },
  /** Roles + migrations as the owner (regional/db/migrate.ts), invoked by the operator after a deploy. */
  migrate: {
    handler: 'index.handler',
    entry: 'regional/entries/migrate.ts',
    builtBy: 'infra/cdk/bundle.ts',
    // migrate.ts finds its SQL files next to itself (import.meta.url), i.e. next to index.mjs.
    copy: { from: 'regional/db/migrations', to: 'migrations' },
  },
} as const;

/**
 * Lambda-shaped files that are deliberately not deployed, each with the reason. Every file under
 * `regional/entries/` and every `lambda.ts` / `*-lambda.ts` in the repository must be the entry of a
 * bundle above or listed here (`bundles.synth.test.ts` fails otherwise), so nothing the product runs
 * can silently be left out of AWS.
 */
export const NOT_DEPLOYED: Readonly<Record<string, string>> = {};

/** Files that are Lambda entry points by their place or name (paths relative to the repository root). */
export function isLambdaEntryPath(file: string): boolean {
  if (/\.test\.ts$/.test(file) || !file.endsWith('.ts')) return false;
  return file.startsWith('regional/entries/') || /(^|\/|-)lambda\.ts$/.test(file);
}

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
          `bundle "${bundle}" not built: ${dir}/index.mjs is missing (build ${BUNDLES[bundle].entry} with ${BUNDLES[bundle].builtBy} first)`,
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
