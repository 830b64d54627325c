// The AWS operator path for organizations against the test database: creates one with its audit row, refuses bad events.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { handleOrganizationEvent } from './organization-event.ts';

let system: pg.Pool;
beforeAll(() => {
  system = createPool(inject('systemDatabaseUrl'), { max: 2 });
});
afterAll(() => system.end());

describe('handleOrganizationEvent', () => {
  it('creates the organization and its audit row as the AWS operator', async () => {
    const result = await handleOrganizationEvent(system, { name: '  Acme Ops  ' });
    if (!('organization' in result)) throw new Error(`expected an organization, got ${result.error}`);
    expect(result.organization.name).toBe('Acme Ops');
    const { rows } = await system.query<{ actor_sub: string; action: string }>(
      'SELECT actor_sub, action FROM audit_logs WHERE org_id = $1',
      [result.organization.id],
    );
    expect(rows).toEqual([{ actor_sub: 'system:aws-operator', action: 'organization.create' }]);
  });

  it('answers a missing or invalid name without creating anything', async () => {
    const count = async () =>
      Number((await system.query('SELECT count(*) AS n FROM organizations')).rows[0].n);
    const before = await count();
    expect(await handleOrganizationEvent(system, {})).toEqual({
      error: 'the event must be {"name": "<organization name>"}',
    });
    expect(await handleOrganizationEvent(system, null)).toHaveProperty('error');
    expect(await handleOrganizationEvent(system, { name: '   ' })).toEqual({
      error: 'organization name must be 1 to 200 characters',
    });
    expect(await count()).toBe(before);
  });
});
