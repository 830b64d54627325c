// Lambda entry that migrates Aurora from inside the VPC: (re)keys the service roles, then applies migrations.
import * as v from 'valibot';
import { logLevel, parseEnv, postgresUrl, serviceName } from '../../runtime/env.ts';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { migrate } from '../db/migrate.ts';

// Same variables as `npm run migrate` (regional/db/migrate-cli.ts), filled by the core stack from the
// role secrets; so the two paths cannot drift apart.
const password = v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters')));
const Env = v.pipe(
  v.object({
    DATABASE_URL: postgresUrl,
    LLMO_APP_DB_PASSWORD: password,
    LLMO_SYSTEM_DB_PASSWORD: password,
    LOG_LEVEL: logLevel,
    POWERTOOLS_SERVICE_NAME: serviceName('llmo-migrate'),
  }),
  // Both or neither: without them the roles are left as they are (see ensureRoles).
  v.check(
    (e) => (e.LLMO_APP_DB_PASSWORD === undefined) === (e.LLMO_SYSTEM_DB_PASSWORD === undefined),
    'LLMO_APP_DB_PASSWORD and LLMO_SYSTEM_DB_PASSWORD must be set together',
  ),
);

/** Invoked by the operator after each deploy (`aws lambda invoke`); returns the migrations it applied. */
export async function handler(): Promise<{ applied: string[] }> {
  const env = parseEnv(Env);
  const log = createLambdaLogger(env.POWERTOOLS_SERVICE_NAME, env.LOG_LEVEL);
  const applied = await migrate({
    ownerUrl: env.DATABASE_URL,
    ...(env.LLMO_APP_DB_PASSWORD && env.LLMO_SYSTEM_DB_PASSWORD
      ? { passwords: { app: env.LLMO_APP_DB_PASSWORD, system: env.LLMO_SYSTEM_DB_PASSWORD } }
      : {}),
    log: (line) => log.info(line),
  });
  return { applied };
}
