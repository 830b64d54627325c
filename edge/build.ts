// Bundles the Lambda@Edge router with esbuild, its configuration baked in (`define`): no env vars there.
// Usage: npx tsx edge/build.ts --config edge/config.example.json [--out dist/edge]
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import * as v from 'valibot';
import { nearestReplicaMap } from './region-map.ts';
import { DEFAULT_TUNING, type EdgeConfig, parseEdgeConfig } from './src/config.ts';

/** What a deployment decides (the rest is tuning with documented defaults). Mirrors infra/cdk/config.ts. */
const BuildInputSchema = v.object({
  coreRegion: v.string(),
  replicaRegions: v.optional(v.array(v.string()), []),
  streamName: v.optional(v.string(), 'llmo-events'),
  keyTableName: v.optional(v.string(), 'llmo-api-keys'),
  /** Days of telemetry kept; older events are rejected at the edge (must match the deployment). */
  retentionDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 30),
  logLevel: v.optional(v.picklist(['debug', 'info', 'warn', 'error', 'silent']), 'info'),
  /** Key-tag secrets by version (validated by config.ts); the admin service mints with one of them. */
  keyTagSecrets: v.record(v.string(), v.string()),
  /** Tests only: bake the local stand-ins' endpoints in (a deployed bundle must never have these). */
  localEndpoints: v.optional(v.object({ firehose: v.string(), dynamo: v.string() })),
});

const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/** Result of a build: where the bundle is and how big it is. */
export interface EdgeBuildResult {
  outfile: string;
  bytes: number;
  gzipBytes: number;
  config: EdgeConfig;
}

/** Turns a deployment's choices into the full, validated edge configuration. */
export function edgeConfigFor(input: unknown, source: string): EdgeConfig {
  const parsed = v.safeParse(BuildInputSchema, input);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(
      `invalid edge build input from ${source}: ${issue.path?.map((p) => p.key).join('.')}: ${issue.message}`,
    );
  }
  const i = parsed.output;
  const replicas = [...new Set([i.coreRegion, ...i.replicaRegions])];
  return parseEdgeConfig(
    {
      coreRegion: i.coreRegion,
      streamName: i.streamName,
      keyTableName: i.keyTableName,
      replicaRegions: replicas,
      nearestReplica: nearestReplicaMap(i.coreRegion, replicas),
      keyTagSecrets: i.keyTagSecrets,
      keyCache: { ...DEFAULT_TUNING.keyCache },
      sink: { ...DEFAULT_TUNING.sink },
      rateLimit: { ...DEFAULT_TUNING.rateLimit },
      timestamps: { ...DEFAULT_TUNING.timestamps, maxAgeMs: i.retentionDays * 86_400_000 },
      logLevel: i.logLevel,
      ...(i.localEndpoints
        ? { firehoseEndpoint: i.localEndpoints.firehose, dynamoEndpoint: i.localEndpoints.dynamo }
        : {}),
    },
    source,
  );
}

/** Builds `<outDir>/index.mjs` (exports `handler`) for `config`. */
export async function buildEdge(config: EdgeConfig, outDir: string): Promise<EdgeBuildResult> {
  const outfile = path.join(outDir, 'index.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'src/lambda.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // The AWS SDK's ES-module builds first: esbuild can drop what is unused there, not in their CommonJS
    // builds (measured: bundle 487 → 251 KiB, 148 → 83 KiB gzip, module initialisation about halved).
    mainFields: ['module', 'main'],
    format: 'esm',
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    // Packages published as CommonJS call require(); give the ESM bundle one.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    define: { __LLMO_EDGE_CONFIG__: JSON.stringify(config) },
    // Credential sources the SDK loads lazily (dynamic import) and Lambda never reaches: the execution
    // role's credentials are in the environment, the chain's first source. Left out of the bundle to cut
    // its size and parse time; run without those variables, the bundle fails to load them (ESM imports
    // do not search NODE_PATH) and the call fails, as it would without credentials anyway.
    external: LAZY_CREDENTIAL_PROVIDERS,
    logLevel: 'warning',
  });
  const bytes = (await stat(outfile)).size;
  const gzipBytes = gzipSync(await readFile(outfile), { level: 9 }).byteLength;
  return { outfile, bytes, gzipBytes, config };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, out: { type: 'string', default: 'dist/edge' } },
  });
  if (!values.config) throw new Error('--config <file.json> is required (see edge/config.example.json)');
  const input: unknown = JSON.parse(await readFile(values.config, 'utf8'));
  const result = await buildEdge(edgeConfigFor(input, values.config), values.out ?? 'dist/edge');
  process.stdout.write(
    `${JSON.stringify({ outfile: result.outfile, bytes: result.bytes, gzip_bytes: result.gzipBytes })}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
