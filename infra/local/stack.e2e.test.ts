// The whole local stack as a user runs it: `npm start` in a fresh data dir, stack.json, tokens, restart.
import net from 'node:net';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackProcess } from '../testing/stack-process.ts';
import { LOCAL_CLIENT_ID } from './client-id.ts';
import type { StackInfo } from './context.ts';

const stack = new StackProcess();

/** True when nothing accepts connections on the port any more. */
async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

beforeAll(() => stack.prepare());
afterAll(() => stack.destroy());

describe('npm start', () => {
  let first: StackInfo;

  it('starts everything from nothing and writes stack.json with working URLs', async () => {
    first = await stack.start();
    expect(first.demo.org_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.demo.admin_email).toBeTruthy();
    const discovery = await fetch(`${first.issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    // Health routes: the dashboard's `/` would make `next dev` compile the page first.
    for (const url of [
      `${first.ingest_url}/v1/health`,
      `${first.api_url}/v1/health`,
      `${first.web_url}/api/health`,
    ]) {
      expect((await fetch(url)).status).toBe(200);
    }
  });

  it('`npm run token` prints only a JWT that verifies against the issuer JWKS', async () => {
    const { code, stdout } = await stack.npmRun('token', [
      '--email',
      'e2e@example.test',
      '--org',
      first.demo.org_id,
      '--role',
      'admin',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = JwtVerifier.create(
      { issuer: first.issuer, audience: LOCAL_CLIENT_ID, jwksUri: `${first.issuer}/jwks` },
      {
        jwksCache: new SimpleJwksCache({
          fetcher: { fetch: async (u: string) => (await fetch(u)).arrayBuffer() },
        }),
      },
    );
    const claims = await verifier.verify(stdout.trim());
    expect(claims['custom:org_id']).toBe(first.demo.org_id);
    expect(claims['cognito:groups']).toEqual(['admin']);
  });

  it('`npm run org -- create` prints the new organization as JSON', async () => {
    const { code, stdout } = await stack.npmRun('org', ['create', '--name', 'Acme e2e']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme e2e',
    });
  });

  it('stops cleanly on Ctrl-C and keeps the data across a restart', async () => {
    expect(['0', 'SIGINT']).toContain(await stack.stop());
    for (const name of ['POSTGRES', 'ISSUER', 'DYNAMODB', 'API', 'INGEST', 'FIREHOSE', 'S3'] as const) {
      expect(await portClosed(stack.port(name))).toBe(true);
    }
    const second = await stack.start();
    expect(second.demo).toEqual(first.demo);
    expect(['0', 'SIGINT']).toContain(await stack.stop());
  });

  it('printed only log lines of the one shape on stdout (runtime/log.ts), across both runs', () => {
    // npm's own header (`> llm-observer-cloud@… start`, `> tsx infra/local/start.ts`) and blank lines aside.
    const lines = stack.stdoutLines.filter((line) => line.trim() !== '' && !line.startsWith('> '));
    expect(lines.length).toBeGreaterThan(10);
    const misshapen = lines.filter((line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return true;
      }
      const [level, time, service, message] = Object.keys(entry);
      return !(
        level === 'level' &&
        time === 'time' &&
        service === 'service' &&
        message === 'message' &&
        ['debug', 'info', 'warn', 'error'].includes(String(entry.level)) &&
        !Number.isNaN(Date.parse(String(entry.time))) &&
        typeof entry.service === 'string' &&
        typeof entry.message === 'string'
      );
    });
    expect(misshapen).toEqual([]);
  });
});
