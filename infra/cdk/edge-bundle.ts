// Keeps the Lambda@Edge bundle's baked-in configuration and the CDK context in agreement.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { type InfraConfig, readInfraConfig } from './config.ts';

/** The input file edge/build.ts takes (`--config`), derived from the same context as the stacks. */
export function edgeBuildInput(config: InfraConfig): Record<string, unknown> {
  return {
    coreRegion: config.coreRegion,
    replicaRegions: config.replicaRegions,
    streamName: config.streamName,
    keyTableName: config.keyTableName,
    retentionDays: config.retentionDays,
    keyTagSecrets: config.keyTagSecrets,
    logLevel: 'info',
  };
}

/**
 * Names every deployment value the bundle does not carry. The edge cannot be reconfigured after
 * bundling, so a bundle built for another stream or table would fail every request with AccessDenied;
 * synthesis refuses it instead. esbuild may print the keys quoted or bare, so both are accepted.
 */
export function edgeBundleMismatches(bundleText: string, config: InfraConfig): string[] {
  const expected: Record<string, string> = {
    coreRegion: config.coreRegion,
    streamName: config.streamName,
    keyTableName: config.keyTableName,
  };
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.entries(expected)
    .filter(
      ([key, value]) => !new RegExp(`["']?${key}["']?\\s*:\\s*["']${literal(value)}["']`).test(bundleText),
    )
    .map(([key, value]) => `${key} should be "${value}"`);
}

/** Raised when dist/edge was built for a different deployment. */
export class EdgeBundleMismatchError extends Error {
  override name = 'EdgeBundleMismatchError';
}

/** Throws naming the mismatched values if `<root>/dist/edge/index.mjs` exists and disagrees with `config`. */
export function assertEdgeBundleMatches(rootDir: string, config: InfraConfig): void {
  const file = path.join(rootDir, 'dist', 'edge', 'index.mjs');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // a missing bundle is reported by assetCode with the build command
  }
  const mismatches = edgeBundleMismatches(text, config);
  if (mismatches.length > 0) {
    throw new EdgeBundleMismatchError(
      `${file} was built for another deployment: ${mismatches.join(', ')}. Rebuild it: ` +
        'npx tsx infra/cdk/edge-bundle.ts > .data/edge-build.json && npx tsx edge/build.ts --config .data/edge-build.json',
    );
  }
}

// CLI: prints edge/build.ts's input for the context in cdk.json (plus `-c`-style KEY=VALUE arguments).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const cdkJson = JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')) as { context?: object };
  const overrides = Object.fromEntries(
    process.argv.slice(2).map((arg) => {
      const at = arg.indexOf('=');
      return at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, ''];
    }),
  );
  const app = new App({ context: { ...cdkJson.context, ...overrides } });
  const config = readInfraConfig((key) => app.node.tryGetContext(key));
  process.stdout.write(`${JSON.stringify(edgeBuildInput(config), null, 2)}\n`);
}
