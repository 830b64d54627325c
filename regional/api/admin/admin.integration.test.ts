// Admin routes end to end through the router: projects, keys (shown once, digest only), revoke, audit log.
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, parseApiKey } from '../../../contract/index.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { MAX_KEYS_PER_PROJECT, MAX_PROJECTS_PER_ORG } from './limits.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function dynamoItem(prefix: string): Promise<Record<string, unknown> | undefined> {
  const doc = DynamoDBDocumentClient.from(h.dynamo);
  const res = await doc.send(
    new GetCommand({ TableName: h.keyTableName, Key: { prefix }, ConsistentRead: true }),
  );
  return res.Item;
}

describe('admin routes', () => {
  it('GET /v1/me answers the caller from the token', async () => {
    const { orgId } = await h.org();
    const res = await h.call('GET', '/v1/me', { token: await h.token(orgId, 'member', 'mia@example.test') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sub: 'sub-mia@example.test',
      email: 'mia@example.test',
      org_id: orgId,
      role: 'member',
    });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('401 without a token, 404 for unknown routes, 405 for a wrong method', async () => {
    expect((await h.call('GET', '/v1/projects')).status).toBe(401);
    expect((await h.call('GET', '/v1/projects')).body.error?.code).toBe('missing_token');
    const { orgId } = await h.org();
    const token = await h.token(orgId, 'admin');
    expect((await h.call('GET', '/v1/nope', { token })).status).toBe(404);
    expect((await h.call('DELETE', '/v1/projects', { token })).status).toBe(405);
  });

  it('admins create projects; members list them but cannot create', async () => {
    const { orgId } = await h.org();
    const admin = await h.token(orgId, 'admin', 'ada@example.test');
    const member = await h.token(orgId, 'member');
    const created = await h.call('POST', '/v1/projects', { token: admin, body: { name: '  checkout  ' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'checkout' });
    const list = await h.call('GET', '/v1/projects', { token: member });
    expect(list.status).toBe(200);
    expect((list.body.projects as Array<{ name: string }>).map((p) => p.name)).toEqual([
      'default',
      'checkout',
    ]);
    const denied = await h.call('POST', '/v1/projects', { token: member, body: { name: 'x' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error?.code).toBe('admin_required');
    const dup = await h.call('POST', '/v1/projects', { token: admin, body: { name: 'checkout' } });
    expect(dup.status).toBe(409);
    expect(
      (await h.call('POST', '/v1/projects', { token: admin, body: { name: '' } })).body.error?.code,
    ).toBe('invalid_body');
    expect((await h.call('POST', '/v1/projects', { token: admin, body: '{nope' })).body.error?.code).toBe(
      'invalid_json',
    );
  });

  it('creates a key shown once, stores prefix + digest only, pushes it to DynamoDB, revokes it', async () => {
    const { orgId, projectId } = await h.org();
    const admin = await h.token(orgId, 'admin', 'ada@example.test');
    const created = await h.call('POST', `/v1/projects/${projectId}/api-keys`, {
      token: admin,
      body: { name: 'ci' },
    });
    expect(created.status).toBe(201);
    const key = String(created.body.key);
    const parsed = parseApiKey(key);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(created.body.prefix).toBe(parsed.prefix);

    // The database has the digest, never the secret or the key.
    const { rows } = await h.owner.query('SELECT * FROM api_keys WHERE id = $1', [created.body.id]);
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(rows[0].secret_sha256, hashSecret(parsed.secret))).toBe(0);
    const everything = JSON.stringify(
      (
        await h.owner.query(
          'SELECT row_to_json(t)::text AS j FROM (SELECT * FROM api_keys UNION ALL SELECT * FROM api_keys WHERE false) t',
        )
      ).rows,
    );
    expect(everything).not.toContain(parsed.secret);
    const audits = JSON.stringify(
      (await h.owner.query('SELECT * FROM audit_logs WHERE org_id = $1', [orgId])).rows,
    );
    expect(audits).not.toContain(parsed.secret);
    const outbox = JSON.stringify(
      (await h.owner.query('SELECT * FROM key_outbox WHERE org_id = $1', [orgId])).rows,
    );
    expect(outbox).not.toContain(parsed.secret);

    // Listing never shows the key again.
    const list = await h.call('GET', `/v1/projects/${projectId}/api-keys`, { token: admin });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(parsed.secret);
    expect(list.body.api_keys).toEqual([
      expect.objectContaining({
        id: created.body.id,
        prefix: parsed.prefix,
        status: 'active',
        revoked_at: null,
      }),
    ]);

    // The propagator ran after commit: the edge's table has the active item.
    expect(await dynamoItem(parsed.prefix)).toMatchObject({
      prefix: parsed.prefix,
      key_id: created.body.id,
      org_id: orgId,
      project_id: projectId,
      secret_sha256: hashSecret(parsed.secret).toString('hex'),
      status: 'active',
    });

    const revoked = await h.call('POST', `/v1/api-keys/${created.body.id}/revoke`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, status: 'revoked' });
    const item = await dynamoItem(parsed.prefix);
    expect(item?.status).toBe('revoked');

    // Revoking again changes nothing and answers the same revocation time.
    const again = await h.call('POST', `/v1/api-keys/${created.body.id}/revoke`, { token: admin });
    expect(again.body).toEqual(revoked.body);

    // Audit log: newest first, actor from the token, no secret.
    const log = await h.call('GET', '/v1/audit-logs', { token: admin });
    expect(log.status).toBe(200);
    const items = log.body.items as Array<Record<string, unknown>>;
    expect(items.map((i) => i.action)).toEqual(['api_key.revoke', 'api_key.create']);
    expect(items[0]).toMatchObject({
      actor: { sub: 'sub-ada@example.test', email: 'ada@example.test' },
      target_type: 'api_key',
      target_id: created.body.id,
      details: { prefix: parsed.prefix, project_id: projectId },
    });
    expect(JSON.stringify(log.body)).not.toContain(parsed.secret);
  });

  it('members cannot list, create or revoke keys, or read the audit log', async () => {
    const { orgId, projectId } = await h.org();
    const member = await h.token(orgId, 'member');
    expect((await h.call('GET', `/v1/projects/${projectId}/api-keys`, { token: member })).status).toBe(403);
    expect(
      (await h.call('POST', `/v1/projects/${projectId}/api-keys`, { token: member, body: { name: 'x' } }))
        .status,
    ).toBe(403);
    expect((await h.call('POST', `/v1/api-keys/${projectId}/revoke`, { token: member })).status).toBe(403);
    expect((await h.call('GET', '/v1/audit-logs', { token: member })).status).toBe(403);
    const n = await h.owner.query('SELECT count(*)::int AS n FROM audit_logs WHERE org_id = $1', [orgId]);
    expect(n.rows[0].n).toBe(0);
  });

  it('pages the audit log with a cursor and rejects a forged one', async () => {
    const { orgId } = await h.org();
    const admin = await h.token(orgId, 'admin');
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      expect((await h.call('POST', '/v1/projects', { token: admin, body: { name } })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = await h.call('GET', `/v1/audit-logs?limit=2${q}`, { token: admin });
      expect(page.status).toBe(200);
      const items = page.body.items as Array<{ details: { name: string } }>;
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((i) => i.details.name));
      cursor = page.body.next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect((await h.call('GET', '/v1/audit-logs?cursor=%%%', { token: admin })).body.error?.code).toBe(
      'invalid_cursor',
    );
    const forged = Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url');
    expect((await h.call('GET', `/v1/audit-logs?cursor=${forged}`, { token: admin })).body.error?.code).toBe(
      'invalid_cursor',
    );
    expect((await h.call('GET', '/v1/audit-logs?limit=0', { token: admin })).body.error?.code).toBe(
      'invalid_limit',
    );
  });

  it('caps projects per org and keys per project, so their listings stay bounded', async () => {
    const { orgId, projectId } = await h.org();
    const admin = await h.token(orgId, 'admin');
    // Fill up to one below each cap directly, then let the API create the last one and refuse the next.
    await h.system.query(
      "INSERT INTO projects (org_id, name) SELECT $1, 'filler-' || g FROM generate_series(2, $2) AS g",
      [orgId, MAX_PROJECTS_PER_ORG - 1],
    );
    expect((await h.call('POST', '/v1/projects', { token: admin, body: { name: 'last' } })).status).toBe(201);
    const over = await h.call('POST', '/v1/projects', { token: admin, body: { name: 'one too many' } });
    expect(over.status).toBe(409);
    expect(over.body.error?.code).toBe('project_limit_reached');
    await h.system.query(
      `INSERT INTO api_keys (org_id, project_id, prefix, secret_sha256, name, status, revoked_at)
       SELECT $1, $2, substr(md5(random()::text || g), 1, 12), sha256(g::text::bytea), 'k', 'revoked', now() FROM generate_series(2, $3) AS g`,
      [orgId, projectId, MAX_KEYS_PER_PROJECT],
    );
    const path = `/v1/projects/${projectId}/api-keys`;
    expect((await h.call('POST', path, { token: admin, body: { name: 'last' } })).status).toBe(201);
    const keyOver = await h.call('POST', path, { token: admin, body: { name: 'one too many' } });
    expect(keyOver.status).toBe(409);
    expect(keyOver.body.error?.code).toBe('key_limit_reached');
    expect(((await h.call('GET', path, { token: admin })).body.api_keys as unknown[]).length).toBe(
      MAX_KEYS_PER_PROJECT,
    );
  });

  it('a failed mutation leaves no audit row behind (same transaction)', async () => {
    const { orgId } = await h.org();
    const admin = await h.token(orgId, 'admin');
    const before = await h.owner.query('SELECT count(*)::int AS n FROM audit_logs WHERE org_id = $1', [
      orgId,
    ]);
    expect((await h.call('POST', '/v1/projects', { token: admin, body: { name: 'default' } })).status).toBe(
      409,
    );
    const after = await h.owner.query('SELECT count(*)::int AS n FROM audit_logs WHERE org_id = $1', [orgId]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
