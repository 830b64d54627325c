// A minimal Secrets Manager endpoint for tests: GetSecretValue over the AWS JSON 1.1 protocol, versions by stage.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running endpoint; `put` stores a secret version under a stage, `calls` counts GetSecretValue requests. */
export interface LocalSecretsManager {
  endpoint: string;
  put(secretId: string, secretString: string, stage?: 'AWSCURRENT' | 'AWSPENDING'): void;
  /** Removes a stage (a finished rotation leaves no AWSPENDING). */
  dropStage(secretId: string, stage: 'AWSCURRENT' | 'AWSPENDING'): void;
  calls: Array<{ secretId: string; stage: string }>;
  close(): Promise<void>;
}

/** Starts the endpoint on 127.0.0.1 (a free port). Point a SecretsManagerClient at `endpoint`. */
export async function startLocalSecretsManager(): Promise<LocalSecretsManager> {
  const store = new Map<string, Map<string, string>>();
  const calls: LocalSecretsManager['calls'] = [];
  const reply = (res: import('node:http').ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue') {
        reply(res, 400, { __type: 'InvalidRequestException', message: `unsupported ${String(target)}` });
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        SecretId: string;
        VersionStage?: string;
      };
      const stage = input.VersionStage ?? 'AWSCURRENT';
      calls.push({ secretId: input.SecretId, stage });
      const value = store.get(input.SecretId)?.get(stage);
      if (value === undefined) {
        reply(res, 400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret value for staging label",
        });
        return;
      }
      reply(res, 200, {
        ARN: input.SecretId,
        Name: input.SecretId.split(':').pop(),
        SecretString: value,
        VersionId: `v-${stage}-${value.length}`,
        VersionStages: [stage],
        CreatedDate: Date.now() / 1000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    put(secretId, secretString, stage = 'AWSCURRENT') {
      const versions = store.get(secretId) ?? new Map<string, string>();
      versions.set(stage, secretString);
      store.set(secretId, versions);
    },
    dropStage(secretId, stage) {
      store.get(secretId)?.delete(stage);
    },
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
