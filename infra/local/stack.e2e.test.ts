// The whole local stack as a user runs it: `npm start` in a fresh data dir, stack.json, tokens, restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/free-port.ts';
import { LOCAL_CLIENT_ID } from './client-id.ts';
import type { StackInfo } from './context.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let stack: ChildProcess | undefined;

/** Starts `npm start` and resolves with stack.json once the stack says it is running. */
async function startStack(): Promise<StackInfo> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  stack = child;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output.slice(-4000)}`)));
  });
  return JSON.parse(await readFile(path.join(dataDir, 'stack.json'), 'utf8')) as StackInfo;
}

/**
 * Sends SIGINT to the whole process group, as Ctrl-C in a terminal does, and waits until every process
 * of the group (npm, tsx, the stack, PostgreSQL is a separate group member too) has gone. npm re-raises
 * the signal when it exits, so a clean stop is exit code 0 or death by SIGINT.
 */
async function stopStack(): Promise<string> {
  const child = stack;
  if (!child?.pid) return 'not started';
  const pid = child.pid;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve(String(child.exitCode ?? child.signalCode))
      : new Promise<string>((resolve) =>
          child.once('exit', (code, signal) => resolve(String(code ?? signal))),
        );
  try {
    process.kill(-pid, 'SIGINT');
  } catch {
    // the group is already gone
  }
  const status = await exited;
  for (let i = 0; i < 300 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return groupAlive(pid) ? 'still running' : status;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when nothing accepts connections on the port any more. */
async function portClosed(port: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function token(orgId: string, role: 'admin' | 'member'): Promise<string> {
  const child = spawn(
    'npm',
    ['run', 'token', '--', '--email', 'e2e@example.test', '--org', orgId, '--role', role],
    {
      cwd: ROOT,
      env,
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  return out;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'llmo-stack-'));
  // Reachable by the postgres user (see postgres.ts), so the cluster stays inside the data dir.
  await chmod(dataDir, 0o755);
  env = { ...process.env, LLMO_DATA_DIR: dataDir };
  for (const name of ['WEB', 'API', 'INGEST', 'ISSUER', 'FIREHOSE', 'S3', 'DYNAMODB', 'POSTGRES']) {
    env[`LLMO_${name}_PORT`] = String(await freePort());
  }
  // The stack under test brings its own embedded PostgreSQL, as on a fresh machine.
  delete env.DATABASE_URL;
});
afterAll(async () => {
  await stopStack();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  let first: StackInfo;

  it('starts everything from nothing and writes stack.json with working URLs', async () => {
    first = await startStack();
    expect(first.demo.org_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.demo.admin_email).toBeTruthy();
    const discovery = await fetch(`${first.issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    for (const url of [first.ingest_url, first.api_url, first.web_url]) {
      if (url === undefined) continue;
      const res = await fetch(url);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('`npm run token` prints only a JWT that verifies against the issuer JWKS', async () => {
    const printed = await token(first.demo.org_id, 'admin');
    expect(printed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = JwtVerifier.create(
      { issuer: first.issuer, audience: LOCAL_CLIENT_ID, jwksUri: `${first.issuer}/jwks` },
      {
        jwksCache: new SimpleJwksCache({
          fetcher: { fetch: async (u: string) => (await fetch(u)).arrayBuffer() },
        }),
      },
    );
    const claims = await verifier.verify(printed.trim());
    expect(claims['custom:org_id']).toBe(first.demo.org_id);
    expect(claims['cognito:groups']).toEqual(['admin']);
  });

  it('stops cleanly on Ctrl-C and keeps the data across a restart', async () => {
    expect(['0', 'SIGINT']).toContain(await stopStack());
    for (const name of ['POSTGRES', 'ISSUER', 'DYNAMODB', 'API', 'INGEST']) {
      expect(await portClosed(env[`LLMO_${name}_PORT`])).toBe(true);
    }
    const second = await startStack();
    expect(second.demo).toEqual(first.demo);
    expect(['0', 'SIGINT']).toContain(await stopStack());
  });
});
