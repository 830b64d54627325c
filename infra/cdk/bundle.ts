// Builds the regional Lambda bundles (dist/<name>/index.mjs) that the core stack deploys by path.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLES, type BundleName } from './lambda-code.ts';

/** What one build run did. */
export type BundleReport = { built: BundleName[]; missing: Array<{ bundle: BundleName; entry: string }> };

/**
 * Bundles every regional entry point that exists into `<rootDir>/dist/<name>/`. The edge bundle is
 * skipped: edge/build.ts makes it with the edge configuration baked in.
 */
export async function bundleRegional(rootDir: string): Promise<BundleReport> {
  const report: BundleReport = { built: [], missing: [] };
  for (const [name, spec] of Object.entries(BUNDLES) as Array<[BundleName, (typeof BUNDLES)[BundleName]]>) {
    if (spec.builtBy !== 'infra/cdk/bundle.ts') continue;
    if (!existsSync(path.join(rootDir, spec.entry))) {
      report.missing.push({ bundle: name, entry: spec.entry });
      continue;
    }
    await bundleOne(rootDir, name, path.join(rootDir, 'dist', name));
    report.built.push(name);
  }
  return report;
}

/**
 * Bundles one entry point into `<outdir>/index.mjs` for Node 22 as ESM (plus the files it reads at
 * runtime). `require` is provided for the CommonJS dependencies (pg), and the AWS SDK is bundled so
 * that its version is ours, not the runtime's.
 */
export async function bundleOne(rootDir: string, name: BundleName, outdir: string): Promise<void> {
  const spec = BUNDLES[name];
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(rootDir, spec.entry)],
    outfile: path.join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: 'linked',
    minify: false,
    legalComments: 'none',
    // pg probes for its optional native binding; it is not installed and not wanted.
    external: ['pg-native'],
    banner: {
      // Aliased: bundled modules (node-pg-migrate) import createRequire themselves.
      js: "import { createRequire as __llmoCreateRequire } from 'node:module'; const require = __llmoCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  if ('copy' in spec) {
    cpSync(path.join(rootDir, spec.copy.from), path.join(outdir, spec.copy.to), { recursive: true });
  }
}

// CLI: `npx tsx infra/cdk/bundle.ts` — exits 1 naming every entry point that does not exist yet.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const report = await bundleRegional(root);
  for (const name of report.built) process.stdout.write(`built dist/${name}/index.mjs\n`);
  for (const { bundle, entry } of report.missing)
    process.stderr.write(`missing entry for ${bundle}: ${entry}\n`);
  if (report.missing.length > 0) process.exit(1);
}
