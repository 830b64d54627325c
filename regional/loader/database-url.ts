// Resolves the llmo_system connection string in a Lambda: DATABASE_URL, or host/port/name + a Secrets Manager secret.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LoaderConfigError } from './config.ts';

/**
 * `DATABASE_URL` wins when set (local runs, tools). Otherwise DATABASE_HOST, DATABASE_PORT (default
 * 5432), DATABASE_NAME and SYSTEM_DB_SECRET_ARN (an RDS-style JSON secret with username and password)
 * name the database; TLS is required and verified (Lambda's Node.js runtime trusts the RDS CAs).
 * The URL carries a password: never log it.
 */
export async function systemDatabaseUrl(
  env: Readonly<Record<string, string | undefined>> = process.env,
  secrets: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): Promise<string> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const need = (name: string): string => {
    const value = env[name];
    if (!value)
      throw new LoaderConfigError(`Invalid loader configuration: ${name} is required (or set DATABASE_URL)`);
    return value;
  };
  const host = need('DATABASE_HOST');
  const name = need('DATABASE_NAME');
  const arn = need('SYSTEM_DB_SECRET_ARN');
  const port = env.DATABASE_PORT ?? '5432';
  if (!/^\d{1,5}$/.test(port))
    throw new LoaderConfigError('Invalid loader configuration: DATABASE_PORT must be a port number');
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  let parsed: { username?: unknown; password?: unknown };
  try {
    parsed = JSON.parse(out.SecretString ?? '');
  } catch {
    throw new LoaderConfigError('SYSTEM_DB_SECRET_ARN does not hold a JSON secret');
  }
  if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
    throw new LoaderConfigError('SYSTEM_DB_SECRET_ARN secret lacks username/password');
  }
  const url = new URL(`postgres://${host}:${port}/${encodeURIComponent(name)}`);
  url.username = encodeURIComponent(parsed.username);
  url.password = encodeURIComponent(parsed.password);
  url.searchParams.set('sslmode', 'verify-full');
  return url.toString();
}
