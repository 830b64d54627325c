// The deploy README's offline block, run line by line as a fresh clone would: bundles, edge builds and `cdk synth` of every environment.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_NAMES } from './environments.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = path.join(ROOT, 'infra', 'cdk', 'README.md');

/** The ```sh block of the README whose first line is `# offline: …` (the part that needs no AWS account). */
function offlineBlock(markdown: string): string {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const offline = blocks.filter((b) => b.startsWith('# offline:'));
  if (offline.length !== 1)
    throw new Error(`expected one "# offline:" sh block in ${README}, found ${offline.length}`);
  return offline[0] as string;
}

/** No AWS credentials or profile may reach the commands: synthesis must not need them. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')),
  );
  return {
    ...clean,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
}

let output = '';

beforeAll(() => {
  const script = offlineBlock(readFileSync(README, 'utf8'));
  output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: ROOT,
    env: withoutAws(process.env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}, 900_000);

describe('infra/cdk/README.md, offline part', () => {
  it('builds every regional bundle and synthesizes both stacks of every environment without AWS access', () => {
    expect(output).toContain('built dist/tiers/index.mjs');
    for (const env of ENVIRONMENT_NAMES) {
      expect(output).toContain(`wrote .data/edge-build-${env}.json for ${env}`);
      for (const stack of ['core', 'edge']) {
        const file = path.join(ROOT, '.data', 'cdk.out', env, `llmo-${env}-${stack}.template.json`);
        expect(existsSync(file), file).toBe(true);
        const template = JSON.parse(readFileSync(file, 'utf8')) as {
          Resources: Record<string, { Type: string }>;
        };
        expect(Object.keys(template.Resources).length).toBeGreaterThan(10);
      }
      // The synth-only edge bundle makes the edge template undeployable (a rule that never holds).
      const edge = readFileSync(
        path.join(ROOT, '.data', 'cdk.out', env, `llmo-${env}-edge.template.json`),
        'utf8',
      );
      expect(JSON.parse(edge).Rules).toHaveProperty('RefuseSynthOnlyEdgeBundle');
    }
  });

  it('leaves the edge build input owner-readable only (a real one holds the key-tag secret)', () => {
    for (const env of ENVIRONMENT_NAMES) {
      const { mode } = statSync(path.join(ROOT, '.data', `edge-build-${env}.json`));
      expect(mode & 0o077).toBe(0);
    }
  });
});
