// Database credentials of one login role: a URL locally, a Secrets Manager secret (by ARN) in AWS, re-read after a failed login.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import { ConfigError, parseEnv, postgresUrl } from '../../runtime/env.ts';
import { APP_ROLE, SYSTEM_ROLE } from './urls.ts';

/** The three login roles: the owner runs migrations, `app` serves the API (RLS), `system` the pipeline. */
export type DatabaseRole = 'owner' | 'app' | 'system';

/** Role names in the database; the owner is the Aurora master user created by the core stack. */
export const ROLE_USERS: Record<DatabaseRole, string> = {
  owner: 'llmo_owner',
  app: APP_ROLE,
  system: SYSTEM_ROLE,
};

/**
 * Environment variables per role: a full URL (local stack, tools) or, in AWS, the ARN of an
 * RDS-style JSON secret (`username`, `password`) next to the shared DATABASE_HOST/PORT/NAME.
 */
export const CREDENTIAL_ENV = {
  owner: { url: 'DATABASE_URL', secretArn: 'OWNER_DB_SECRET_ARN' },
  app: { url: 'APP_DATABASE_URL', secretArn: 'APP_DB_SECRET_ARN' },
  system: { url: 'SYSTEM_DATABASE_URL', secretArn: 'SYSTEM_DB_SECRET_ARN' },
} as const satisfies Record<DatabaseRole, { url: string; secretArn: string }>;
/** Where the database is when credentials come from a secret. */
export const DATABASE_ENV = {
  host: 'DATABASE_HOST',
  port: 'DATABASE_PORT',
  name: 'DATABASE_NAME',
  /** `verify-full` (default: Aurora, the runtime trusts the RDS CA) or `disable` (a server without TLS). */
  sslMode: 'DATABASE_SSLMODE',
} as const;

/** Where a role's credentials come from. Neither form is ever logged (the URL holds a password). */
export type CredentialSource =
  | { kind: 'url'; url: string }
  | {
      kind: 'secret';
      secretArn: string;
      host: string;
      port: number;
      database: string;
      user: string;
      /** TLS with full verification (Aurora; the Lambda runtime trusts the RDS CA). Off only in tests. */
      tls: boolean;
    };

/** A secret of the wrong shape (missing or invalid variables are runtime/env.ts ConfigErrors); the message names it. */
export class DatabaseCredentialsError extends Error {
  override name = 'DatabaseCredentialsError';
}

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'is required'));
/** Where the database is, for the secret form (validated only when no role URL is set). */
const SecretFormSchema = v.object({
  [DATABASE_ENV.host]: nonEmpty,
  [DATABASE_ENV.name]: nonEmpty,
  [DATABASE_ENV.port]: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a port number'), v.transform(Number)),
    '5432',
  ),
  [DATABASE_ENV.sslMode]: v.optional(
    v.picklist(['verify-full', 'disable'], 'must be verify-full or disable'),
    'verify-full',
  ),
});

/**
 * Reads one role's credential source from the environment (runtime/env.ts parseEnv):
 * `<ROLE>_DATABASE_URL` wins (local runs); otherwise DATABASE_HOST, DATABASE_PORT (default 5432),
 * DATABASE_NAME and `<ROLE>_DB_SECRET_ARN`. Throws `ConfigError` naming the first missing or bad
 * variable, never a value.
 */
export function credentialSourceFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  role: DatabaseRole,
): CredentialSource {
  const names = CREDENTIAL_ENV[role];
  const url = env[names.url];
  if (url) {
    parseEnv(v.object({ [names.url]: postgresUrl }), env);
    return { kind: 'url', url };
  }
  const arn = env[names.secretArn];
  if (!arn)
    throw new ConfigError(`Invalid configuration: ${names.secretArn} is required (or set ${names.url})`);
  const e = parseEnv(SecretFormSchema, env);
  return {
    kind: 'secret',
    secretArn: arn,
    host: e[DATABASE_ENV.host],
    port: e[DATABASE_ENV.port],
    database: e[DATABASE_ENV.name],
    user: ROLE_USERS[role],
    tls: e[DATABASE_ENV.sslMode] === 'verify-full',
  };
}

/** Secrets Manager version stages: the live one, and the one a rotation is about to promote. */
export type SecretStage = 'AWSCURRENT' | 'AWSPENDING';

/** Returns the SecretString of a secret version; `undefined` when that stage does not exist. */
export type SecretFetcher = (secretArn: string, stage: SecretStage) => Promise<string | undefined>;

/** The real fetcher: GetSecretValue over the AWS SDK (endpoint from the usual AWS configuration). */
export function secretsManagerFetcher(
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): SecretFetcher {
  return async (secretArn, stage) => {
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }));
      return out.SecretString;
    } catch (error) {
      // No rotation in progress: there is no AWSPENDING version.
      if (stage === 'AWSPENDING' && (error as { name?: string }).name === 'ResourceNotFoundException')
        return undefined;
      throw error;
    }
  };
}

/** Where to connect, without the password (a URL source keeps its own, it cannot change). */
export type ConnectionTarget =
  | { connectionString: string }
  | { host: string; port: number; database: string; user: string; ssl: false | { rejectUnauthorized: true } };

/** One role's credentials, fetched once and cached until a login fails with them. */
export interface DatabaseCredentials {
  readonly target: ConnectionTarget;
  /** The password to log in with now (the secret is fetched on first use, then cached). */
  password(): Promise<string>;
  /**
   * Called after the server refused `rejected` (SQLSTATE 28P01): re-reads the secret; if it still
   * holds that password, a rotation may be between setting the new password and promoting it, so the
   * pending version is tried. Resolves true when there is a different password to try.
   */
  refreshAfterLoginFailure(rejected: string): Promise<boolean>;
  /** A `postgres://` URL for tools that take one (migrations). Holds the password: never log it. */
  url(): Promise<string>;
}

type Login = { username: string; password: string };

/** Parses an RDS-style JSON secret (`username`, `password`, more fields ignored). */
function parseSecret(text: string | undefined, source: { secretArn: string }): Login {
  let parsed: { username?: unknown; password?: unknown };
  try {
    parsed = JSON.parse(text ?? '') as typeof parsed;
  } catch {
    throw new DatabaseCredentialsError(`secret ${source.secretArn} does not hold JSON`);
  }
  if (typeof parsed.password !== 'string' || parsed.password === '')
    throw new DatabaseCredentialsError(`secret ${source.secretArn} has no password`);
  if (typeof parsed.username !== 'string' || parsed.username === '')
    throw new DatabaseCredentialsError(`secret ${source.secretArn} has no username`);
  return { username: parsed.username, password: parsed.password };
}

/** Credentials from a source; `fetchSecret` defaults to Secrets Manager (tests inject a local one). */
export function databaseCredentials(
  source: CredentialSource,
  fetchSecret: SecretFetcher = secretsManagerFetcher(),
): DatabaseCredentials {
  if (source.kind === 'url') {
    return {
      target: { connectionString: source.url },
      password: async () => decodeURIComponent(new URL(source.url).password),
      // A URL cannot change under a running process; the failure stands.
      refreshAfterLoginFailure: async () => false,
      url: async () => source.url,
    };
  }
  let cached: Promise<Login> | undefined;
  const read = (stage: SecretStage) =>
    fetchSecret(source.secretArn, stage).then((text) =>
      text === undefined ? undefined : parseSecret(text, source),
    );
  const login = (): Promise<Login> => {
    if (cached) return cached;
    const fetching = read('AWSCURRENT').then((p) => {
      if (p === undefined)
        throw new DatabaseCredentialsError(`secret ${source.secretArn} has no current version`);
      return p;
    });
    cached = fetching;
    // A failed fetch (network, permissions) is not cached: the next connection asks again.
    fetching.catch(() => {
      if (cached === fetching) cached = undefined;
    });
    return fetching;
  };
  // Pools log in as the role the source names (rotation keeps the user name; a mix-up fails loudly).
  const password = async (): Promise<string> => {
    const { username, password } = await login();
    if (username !== source.user)
      throw new DatabaseCredentialsError(`secret ${source.secretArn} is not for user ${source.user}`);
    return password;
  };
  return {
    target: {
      host: source.host,
      port: source.port,
      database: source.database,
      user: source.user,
      ssl: source.tls ? { rejectUnauthorized: true } : false,
    },
    password,
    async refreshAfterLoginFailure(rejected) {
      cached = undefined;
      const fresh = await password();
      if (fresh !== rejected) return true;
      const pending = await read('AWSPENDING');
      if (pending === undefined || pending.password === rejected) return false;
      cached = Promise.resolve(pending);
      return true;
    },
    // Tools (migrations) log in as whoever the secret names: the Aurora master user for the owner.
    async url() {
      const { username, password } = await login();
      const url = new URL(`postgres://${source.host}:${source.port}/${encodeURIComponent(source.database)}`);
      url.username = encodeURIComponent(username);
      url.password = encodeURIComponent(password);
      if (source.tls) url.searchParams.set('sslmode', 'verify-full');
      return url.toString();
    },
  };
}

/** The usual composition: one role's credentials as the environment names them (Secrets Manager in AWS). */
export function roleCredentials(
  role: DatabaseRole,
  env: Readonly<Record<string, string | undefined>> = process.env,
  fetchSecret?: SecretFetcher,
): DatabaseCredentials {
  return databaseCredentials(credentialSourceFromEnv(env, role), fetchSecret);
}

/** Whether the environment configures a role at all (the analytics function has no system role). */
export function hasRoleCredentials(
  role: DatabaseRole,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return Boolean(env[CREDENTIAL_ENV[role].url] || env[CREDENTIAL_ENV[role].secretArn]);
}
