// Keeps the Lambda@Edge bundle's baked-in configuration and the environment's config in agreement; writes edge/build.ts's input.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KEY_TAG_SECRET_RE } from '../../contract/index.ts';
import { secretsManagerFetcher } from '../../regional/db/credentials.ts';
import { type InfraConfig, readInfraConfig } from './config.ts';
import { ENVIRONMENTS } from './environments.ts';

/**
 * The key-tag "secret" of a bundle built only to synthesize (tests, the README's offline steps). It
 * is public and worthless; a bundle carrying it is refused by CloudFormation (edge-stack.ts) so it can
 * never serve traffic.
 */
export const SYNTH_ONLY_KEY_TAG_SECRET = 'SYNTH_ONLY_PLACEHOLDER_not_a_secret_never_deploy_0000000000';

/** The input file edge/build.ts takes (`--config`), derived from the same config as the stacks. */
export function edgeBuildInput(
  config: InfraConfig,
  keyTagSecrets: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return {
    coreRegion: config.coreRegion,
    replicaRegions: config.replicaRegions,
    streamName: config.streamName,
    keyTableName: config.keyTableName,
    retentionDays: config.retentionDays,
    keyTagSecrets,
    logLevel: 'info',
  };
}

/** Raised when the key-tag secret read from AWS does not hold what the edge needs. */
export class KeyTagSecretError extends Error {
  override name = 'KeyTagSecretError';
}

/**
 * Parses the core stack's key-tag secret (`{"A": "…", "B": "…"}`): every version must be well-formed
 * and the version new keys are minted with must be among them. Messages name versions, never values.
 */
export function parseKeyTagSecrets(text: string | undefined, mintVersion: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new KeyTagSecretError('the key-tag secret is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KeyTagSecretError('the key-tag secret must be a JSON object of version → secret');
  }
  const out: Record<string, string> = {};
  for (const [version, secret] of Object.entries(parsed)) {
    if (!/^[0-9A-Za-z]$/.test(version) || typeof secret !== 'string' || !KEY_TAG_SECRET_RE.test(secret)) {
      throw new KeyTagSecretError(`key-tag secret version "${version}" is malformed`);
    }
    out[version] = secret;
  }
  if (!(mintVersion in out)) {
    throw new KeyTagSecretError(`the key-tag secret has no version ${mintVersion} (keyTagVersion)`);
  }
  return out;
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

/** What synthesis learns from `<root>/dist/edge/index.mjs` (absent: assetCode reports it). */
export type EdgeBundleCheck = { present: boolean; synthOnly: boolean };

/**
 * Throws naming the mismatched values if `<root>/dist/edge/index.mjs` exists and disagrees with
 * `config`; reports whether it carries the synth-only placeholder secret.
 */
export function checkEdgeBundle(rootDir: string, config: InfraConfig): EdgeBundleCheck {
  const file = path.join(rootDir, 'dist', 'edge', 'index.mjs');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { present: false, synthOnly: false }; // a missing bundle is reported by assetCode with the build command
  }
  const mismatches = edgeBundleMismatches(text, config);
  if (mismatches.length > 0) {
    throw new EdgeBundleMismatchError(
      `${file} was built for another deployment: ${mismatches.join(', ')}. Rebuild it for -c env=${config.envName} ` +
        '(infra/cdk/README.md, "Build and deploy")',
    );
  }
  return { present: true, synthOnly: text.includes(SYNTH_ONLY_KEY_TAG_SECRET) };
}

/** Writes `file` (creating its folder), readable by the owner only: it may hold the key-tag secret. */
function writePrivate(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

const USAGE = `usage: npx tsx infra/cdk/edge-bundle.ts --env dev|stage|prod --out FILE \\
         (--key-tag-secret-arn ARN | --synth-only) [KEY=VALUE …]
  --key-tag-secret-arn  read the key-tag secret from Secrets Manager (the core stack's KeyTagSecretArn output)
  --synth-only          bake a public placeholder instead: the bundle synthesizes but CloudFormation refuses it`;

// CLI: writes edge/build.ts's input for an environment (KEY=VALUE arguments override like `-c`).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      out: { type: 'string' },
      'key-tag-secret-arn': { type: 'string' },
      'synth-only': { type: 'boolean', default: false },
    },
  });
  const arn = values['key-tag-secret-arn'];
  if (!values.env || !values.out || (arn === undefined) === !values['synth-only']) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const context: Record<string, unknown> = { env: values.env };
  for (const arg of positionals) {
    const at = arg.indexOf('=');
    if (at > 0) context[arg.slice(0, at)] = arg.slice(at + 1);
  }
  try {
    const config = readInfraConfig((key) => context[key], ENVIRONMENTS);
    const secrets =
      arn === undefined
        ? { [config.keyTagVersion]: SYNTH_ONLY_KEY_TAG_SECRET }
        : parseKeyTagSecrets(
            await secretsManagerFetcher(new SecretsManagerClient({ region: config.coreRegion }))(
              arn,
              'AWSCURRENT',
            ),
            config.keyTagVersion,
          );
    writePrivate(values.out, `${JSON.stringify(edgeBuildInput(config, secrets), null, 2)}\n`);
    process.stdout.write(
      `wrote ${values.out} for ${config.envName}${arn === undefined ? ' (SYNTH-ONLY placeholder key-tag secret: not deployable)' : ''}\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
