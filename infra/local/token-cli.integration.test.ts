// `npm run token` finds the running stack's issuer in .data/stack.json, whatever port it was started on.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('token CLI', () => {
  it('signs for the issuer named in stack.json, not the default port', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'llmo-token-cli-'));
    dirs.push(dataDir);
    await writeFile(
      path.join(dataDir, 'stack.json'),
      JSON.stringify({
        issuer: 'http://localhost:45999',
        database_url: 'postgres://x@127.0.0.1:1/x',
        demo: {},
      }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, LLMO_DATA_DIR: dataDir };
    delete env.LLMO_ISSUER_PORT;
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'infra/local/token-cli.ts',
        '--email',
        'ops@example.test',
        '--org',
        '7f1c2a4e-3b5d-4c6e-8f90-123456789abc',
      ],
      { cwd: ROOT, env },
    );
    const payload = JSON.parse(Buffer.from(stdout.trim().split('.')[1] ?? '', 'base64url').toString());
    expect(payload.iss).toBe('http://localhost:45999');
    expect(payload.email).toBe('ops@example.test');
  });
});
