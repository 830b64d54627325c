// Lambda entry the operator invokes to create an organization in AWS (`aws lambda invoke --payload '{"name":"Acme"}'`).
import * as v from 'valibot';
import { logLevel, parseEnv, serviceName } from '../../runtime/env.ts';
import { createLambdaLogger } from '../../runtime/lambda-log.ts';
import { type DatabaseCredentials, roleCredentials } from '../db/credentials.ts';
import { createPool } from '../db/pool.ts';
import { handleOrganizationEvent, type OrganizationEventResult } from '../ops/organization-event.ts';

const Env = v.object({
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: serviceName('llmo-create-organization'),
});

// Kept across invocations: the secret is read once, and again only when a rotated password is refused.
let credentials: DatabaseCredentials | undefined;

/** One organization per invocation; the result names it (its id goes into users' `custom:org_id`). */
export async function handler(event: unknown): Promise<OrganizationEventResult> {
  const env = parseEnv(Env);
  const log = createLambdaLogger(env.POWERTOOLS_SERVICE_NAME, env.LOG_LEVEL);
  credentials ??= roleCredentials('system');
  const pool = createPool(credentials, { max: 1, applicationName: 'llmo-create-organization', log });
  try {
    const result = await handleOrganizationEvent(pool, event);
    if ('organization' in result) log.info('organization created', { org_id: result.organization.id });
    return result;
  } finally {
    await pool.end();
  }
}
