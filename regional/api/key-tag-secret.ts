// In AWS the admin function's key-tag secret comes by ARN: a Secrets Manager JSON secret of versions, read once at cold start.

import { ConfigError } from '../../runtime/env.ts';
import { type SecretFetcher, secretsManagerFetcher } from '../db/credentials.ts';

/** Names of the variables: the ARN (AWS) or the secret itself (local stack, tests). */
export const KEY_TAG_ENV = {
  version: 'KEY_TAG_VERSION',
  secret: 'KEY_TAG_SECRET',
  secretArn: 'KEY_TAG_SECRET_ARN',
} as const;

/**
 * Returns `env` with KEY_TAG_SECRET filled from the secret named by KEY_TAG_SECRET_ARN, whose JSON maps
 * versions to secrets (`{"A": "…"}`); KEY_TAG_VERSION picks the one new keys are minted with. Unchanged
 * when KEY_TAG_SECRET is set already or no ARN is given. Errors name the variable, never a value.
 */
export async function withKeyTagSecret(
  env: Readonly<Record<string, string | undefined>>,
  fetchSecret: SecretFetcher = secretsManagerFetcher(),
): Promise<Record<string, string | undefined>> {
  const arn = env[KEY_TAG_ENV.secretArn];
  if (env[KEY_TAG_ENV.secret] || !arn) return { ...env };
  const version = env[KEY_TAG_ENV.version];
  if (!version) throw new ConfigError(`Invalid configuration: ${KEY_TAG_ENV.version} is required`);
  const text = await fetchSecret(arn, 'AWSCURRENT');
  let versions: Record<string, unknown>;
  try {
    versions = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    throw new ConfigError(`Invalid configuration: the secret ${KEY_TAG_ENV.secretArn} names is not JSON`);
  }
  const secret = versions[version];
  if (typeof secret !== 'string' || secret === '') {
    throw new ConfigError(
      `Invalid configuration: the secret ${KEY_TAG_ENV.secretArn} names has no version ${KEY_TAG_ENV.version}=${version}`,
    );
  }
  return { ...env, [KEY_TAG_ENV.secret]: secret };
}
