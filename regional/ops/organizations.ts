// Operator path for organizations: creating one is not a tenant action, so it runs as the system role.
import type pg from 'pg';

/** Who did it, as written to the audit log; operators are system actors, not token subjects. */
export interface SystemActor {
  sub: `system:${string}`;
  email?: string;
}

/** An organization as printed by the operator CLI. */
export interface Organization {
  id: string;
  name: string;
  created_at: string;
}

/** Raised for an organization name that cannot be stored. */
export class InvalidOrganizationError extends Error {
  override name = 'InvalidOrganizationError';
}

/**
 * Creates an organization and its audit row in the caller's transaction (use the system role).
 * @throws InvalidOrganizationError for an empty or over-long name.
 */
export async function createOrganization(
  client: pg.ClientBase,
  name: string,
  actor: SystemActor,
): Promise<Organization> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) {
    throw new InvalidOrganizationError('organization name must be 1 to 200 characters');
  }
  const { rows } = await client.query<{ id: string; name: string; created_at: Date }>(
    'INSERT INTO organizations (name) VALUES ($1) RETURNING id, name, created_at',
    [trimmed],
  );
  const org = rows[0];
  if (!org) throw new Error('INSERT … RETURNING returned no row');
  await client.query(
    `INSERT INTO audit_logs (org_id, actor_sub, actor_email, action, target_type, target_id, details)
     VALUES ($1, $2, $3, 'organization.create', 'organization', $4, $5)`,
    [org.id, actor.sub, actor.email ?? null, org.id, { name: trimmed }],
  );
  return { id: org.id, name: org.name, created_at: org.created_at.toISOString() };
}
