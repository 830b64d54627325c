// The admin function's key-tag secret read by ARN from a Secrets Manager endpoint (local stand-in, real SDK client).
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from '../../infra/testing/secrets-manager-server.ts';
import { ConfigError } from '../../runtime/env.ts';
import { secretsManagerFetcher } from '../db/credentials.ts';
import { loadApiConfig } from './config.ts';
import { withKeyTagSecret } from './key-tag-secret.ts';

let sm: LocalSecretsManager;
let fetcher: ReturnType<typeof secretsManagerFetcher>;
const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:llmo-key-tag-AbCdEf';
const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

beforeAll(async () => {
  sm = await startLocalSecretsManager();
  fetcher = secretsManagerFetcher(
    new SecretsManagerClient({
      endpoint: sm.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    }),
  );
  sm.put(ARN, JSON.stringify({ A, B }));
  sm.put(`${ARN}-broken`, 'not json');
});
afterAll(() => sm.close());

const base = {
  COGNITO_USER_POOL_ID: 'us-east-1_Abc123',
  COGNITO_CLIENT_ID: 'client',
  APP_DATABASE_URL: 'postgres://app@localhost/llmo',
};

describe('withKeyTagSecret', () => {
  it('reads the version named by KEY_TAG_VERSION from the JSON secret, so the admin config has it', async () => {
    const env = await withKeyTagSecret({ ...base, KEY_TAG_VERSION: 'B', KEY_TAG_SECRET_ARN: ARN }, fetcher);
    expect(loadApiConfig(env).keyTagSecret).toEqual({ version: 'B', secret: B });
    expect(sm.calls.filter((c) => c.secretId === ARN)).toEqual([{ secretId: ARN, stage: 'AWSCURRENT' }]);
  });

  it('leaves a directly given secret (local stack) alone and asks Secrets Manager nothing', async () => {
    const before = sm.calls.length;
    const env = await withKeyTagSecret(
      { ...base, KEY_TAG_VERSION: 'T', KEY_TAG_SECRET: A, KEY_TAG_SECRET_ARN: ARN },
      fetcher,
    );
    expect(env.KEY_TAG_SECRET).toBe(A);
    expect(sm.calls.length).toBe(before);
  });

  it('fails naming the variable, never the value, for a missing version or a broken secret', async () => {
    const missing = withKeyTagSecret({ ...base, KEY_TAG_VERSION: 'C', KEY_TAG_SECRET_ARN: ARN }, fetcher);
    await expect(missing).rejects.toThrow(ConfigError);
    await expect(missing).rejects.toThrow(/KEY_TAG_VERSION=C/);
    await expect(missing).rejects.not.toThrow(new RegExp(A));
    await expect(
      withKeyTagSecret({ ...base, KEY_TAG_VERSION: 'A', KEY_TAG_SECRET_ARN: `${ARN}-broken` }, fetcher),
    ).rejects.toThrow(/KEY_TAG_SECRET_ARN names is not JSON/);
    await expect(withKeyTagSecret({ ...base, KEY_TAG_SECRET_ARN: ARN }, fetcher)).rejects.toThrow(
      /KEY_TAG_VERSION is required/,
    );
  });
});
