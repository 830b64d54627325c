// The operator's organization path in AWS: one Lambda invocation `{"name": "…"}` creates an organization (system role).
import type pg from 'pg';
import { withTransaction } from '../db/tenant.ts';
import { createOrganization, InvalidOrganizationError, type Organization } from './organizations.ts';

/** What `aws lambda invoke` gets back: the organization, or why the name was refused. */
export type OrganizationEventResult = { organization: Organization } | { error: string };

/**
 * Creates the organization named by `event.name` in one transaction with its audit row, as the system
 * actor `system:aws-operator`. A missing or invalid name is answered, not thrown (nothing to retry).
 */
export async function handleOrganizationEvent(
  pool: pg.Pool,
  event: unknown,
): Promise<OrganizationEventResult> {
  const name = (event as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') return { error: 'the event must be {"name": "<organization name>"}' };
  try {
    const organization = await withTransaction(pool, (client) =>
      createOrganization(client, name, { sub: 'system:aws-operator' }),
    );
    return { organization };
  } catch (error) {
    if (error instanceof InvalidOrganizationError) return { error: error.message };
    throw error;
  }
}
