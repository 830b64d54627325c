// Lambda entry that migrates Aurora from inside the VPC: (re)keys the service roles, then applies migrations.
import * as v from 'valibot';
import { logLevel, parseEnv, serviceName } from '../../runtime/env.ts';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { hasRoleCredentials, roleCredentials } from '../db/credentials.ts';
import { migrate } from '../db/migrate.ts';

const Env = v.object({
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: serviceName('llmo-migrate'),
});

/**
 * Invoked by the operator after each deploy (`aws lambda invoke`); returns the migrations it applied.
 * Every credential is read at invocation through regional/db/credentials.ts: in AWS the owner, app
 * and system secrets by ARN; locally the role URLs. The service roles get their secrets' current
 * passwords, so a rerun after a rotation leaves them as the rotation did. Without service-role
 * credentials the roles are left as they are (see ensureRoles).
 */
export async function handler(): Promise<{ applied: string[] }> {
  const env = parseEnv(Env);
  const log = createLambdaLogger(env.POWERTOOLS_SERVICE_NAME, env.LOG_LEVEL);
  const passwords =
    hasRoleCredentials('app') || hasRoleCredentials('system')
      ? { app: await roleCredentials('app').password(), system: await roleCredentials('system').password() }
      : undefined;
  const applied = await migrate({
    ownerUrl: await roleCredentials('owner').url(),
    ...(passwords ? { passwords } : {}),
    log: (line) => log.info(line),
  });
  return { applied };
}
