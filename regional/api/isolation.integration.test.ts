// Tenant isolation: a second org's admin tries every route against the first org's real and guessed ids.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../db/tenant.ts';
import { refreshAnalyticsTiers } from '../rollups/tiers/refresh.ts';
import { type Answer, type Harness, startHarness } from './testing/harness.ts';
import { seedProject } from './testing/seed-telemetry.ts';

let h: Harness;
const a = {
  orgId: '',
  projectId: '',
  keyId: '',
  prefix: '',
  projectName: `secret-project-${randomUUID().slice(0, 6)}`,
};
let intruder: string; // org B admin
let intruderMember: string;
const HOUR = 3_600_000;
const end = new Date(Math.ceil(Date.now() / HOUR) * HOUR);
const start = new Date(end.getTime() - 2 * HOUR);
const range = `from=${start.toISOString()}&to=${end.toISOString()}`;

beforeAll(async () => {
  h = await startHarness();
  const orgA = await h.org();
  a.orgId = orgA.orgId;
  const adminA = await h.token(a.orgId, 'admin', 'owner-a@example.test');
  const project = await h.call('POST', '/v1/projects', { token: adminA, body: { name: a.projectName } });
  a.projectId = String(project.body.id);
  const key = await h.call('POST', `/v1/projects/${a.projectId}/api-keys`, {
    token: adminA,
    body: { name: 'a-key' },
  });
  a.keyId = String(key.body.id);
  a.prefix = String(key.body.prefix);
  await seedProject(
    h.system,
    {
      orgId: a.orgId,
      projectId: a.projectId,
      keyId: a.keyId,
      from: start,
      spanMs: HOUR,
      count: 200,
    },
    end,
  );
  const orgB = await h.org();
  intruder = await h.token(orgB.orgId, 'admin', 'intruder@example.test');
  intruderMember = await h.token(orgB.orgId, 'member');
});
afterAll(() => h.close());

/** Nothing of org A may appear in any answer to org B. */
function expectNoLeak(res: Answer): void {
  const text = JSON.stringify(res.body);
  for (const secret of [a.orgId, a.projectId, a.keyId, a.prefix, a.projectName, 'owner-a@example.test']) {
    expect(text).not.toContain(secret);
  }
}

function expectDenied(res: Answer): void {
  expect([403, 404]).toContain(res.status);
  expectNoLeak(res);
}

describe('tenant isolation (org B against org A)', () => {
  it('project and key routes answer 404 for A’s real ids and for guessed ids', async () => {
    for (const token of [intruder, intruderMember]) {
      for (const projectId of [a.projectId, randomUUID(), 'not-a-uuid']) {
        expectDenied(await h.call('GET', `/v1/projects/${projectId}/api-keys`, { token }));
        expectDenied(
          await h.call('POST', `/v1/projects/${projectId}/api-keys`, { token, body: { name: 'evil' } }),
        );
      }
      for (const keyId of [a.keyId, randomUUID(), a.prefix]) {
        expectDenied(await h.call('POST', `/v1/api-keys/${keyId}/revoke`, { token }));
      }
    }
    // Nothing changed in org A.
    const keys = await h.owner.query('SELECT status FROM api_keys WHERE project_id = $1', [a.projectId]);
    expect(keys.rows).toEqual([{ status: 'active' }]);
    const audits = await h.owner.query('SELECT count(*)::int AS n FROM audit_logs WHERE org_id = $1', [
      a.orgId,
    ]);
    expect(audits.rows[0].n).toBe(2);
  });

  it('listings show only B’s own objects', async () => {
    const projects = await h.call('GET', '/v1/projects', { token: intruder });
    expect(projects.status).toBe(200);
    expectNoLeak(projects);
    const audit = await h.call('GET', '/v1/audit-logs', { token: intruder });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([]);
    // A cursor cannot widen the scope either.
    const cursor = Buffer.from(JSON.stringify({ id: 1_000_000 })).toString('base64url');
    const paged = await h.call('GET', `/v1/audit-logs?cursor=${cursor}`, { token: intruder });
    expect(paged.body.items).toEqual([]);
  });

  it('analytics routes answer 404 for A’s project and nothing of A without a project filter', async () => {
    for (const route of ['overview', 'timeseries', 'breakdown', 'events']) {
      const by = route === 'breakdown' ? '&by=model' : '';
      for (const projectId of [a.projectId, randomUUID()]) {
        expectDenied(
          await h.call('GET', `/v1/analytics/${route}?project_id=${projectId}&${range}${by}`, {
            token: intruderMember,
          }),
        );
      }
      const all = await h.call('GET', `/v1/analytics/${route}?${range}${by}`, { token: intruderMember });
      expect(all.status).toBe(200);
      expectNoLeak(all);
    }
    const ov = await h.call('GET', `/v1/analytics/overview?${range}`, { token: intruder });
    expect(ov.body.events).toBe(0);
    const ev = await h.call('GET', `/v1/analytics/events?${range}`, { token: intruder });
    expect(ev.body.items).toEqual([]);
    // A forged explorer cursor naming A's project reads nothing of A.
    const forged = Buffer.from(JSON.stringify({ t: end.toISOString(), p: a.projectId, e: 'zzz' })).toString(
      'base64url',
    );
    const page = await h.call('GET', `/v1/analytics/events?${range}&cursor=${forged}`, { token: intruder });
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([]);
  });

  it('event detail, traces and dimension values show nothing of A', async () => {
    const traceOfA = createHash('md5').update('ev-0').digest('hex');
    for (const q of ['', `?project_id=${a.projectId}`]) {
      expectDenied(await h.call('GET', `/v1/analytics/events/ev-0${q}`, { token: intruderMember }));
      expectDenied(await h.call('GET', `/v1/analytics/traces/${traceOfA}${q}`, { token: intruderMember }));
    }
    // The same ids answer for A itself, so the 404s above are about the org, not the ids.
    const member = await h.token(a.orgId, 'member');
    expect((await h.call('GET', '/v1/analytics/events/ev-0', { token: member })).status).toBe(200);
    expect((await h.call('GET', `/v1/analytics/traces/${traceOfA}`, { token: member })).status).toBe(200);
    for (const kind of ['users', 'sessions']) {
      const all = await h.call('GET', `/v1/analytics/${kind}?${range}`, { token: intruderMember });
      expect(all.status).toBe(200);
      expect(all.body.items).toEqual([]);
      expectDenied(
        await h.call('GET', `/v1/analytics/${kind}?project_id=${a.projectId}&${range}`, {
          token: intruderMember,
        }),
      );
      const own = await h.call('GET', `/v1/analytics/${kind}?project_id=${a.projectId}&${range}`, {
        token: member,
      });
      expect((own.body.items as unknown[]).length).toBeGreaterThan(0);
    }
    for (const dimension of ['model', 'error_type', 'user_id', 'session_id']) {
      const values = await h.call('GET', `/v1/analytics/values?${range}&dimension=${dimension}`, {
        token: intruderMember,
      });
      expect(values.status).toBe(200);
      expect(values.body.values).toEqual([]);
      expectDenied(
        await h.call(
          'GET',
          `/v1/analytics/values?project_id=${a.projectId}&${range}&dimension=${dimension}`,
          {
            token: intruderMember,
          },
        ),
      );
    }
    const filtered = await h.call('GET', `/v1/analytics/events?${range}&trace_id=${traceOfA}`, {
      token: intruderMember,
    });
    expect(filtered.body.items).toEqual([]);
  });

  it('row-level security is a second wall: the app role sees nothing of A even without the WHERE', async () => {
    const orgB = (await h.call('GET', '/v1/me', { token: intruder })).body.org_id as string;
    // The tiers of A built, so their tables hold rows of A (the owner sees them) for the wall to hide.
    await refreshAnalyticsTiers({ pool: h.system });
    const tiers = ['dimension_rollups', 'attribute_rollups', 'attribute_model_rollups'];
    for (const table of tiers) {
      const { rows } = await h.owner.query(`SELECT count(*)::int AS n FROM ${table} WHERE org_id = $1`, [
        a.orgId,
      ]);
      expect(rows[0].n, table).toBeGreaterThan(0);
    }
    const seen = await withOrg(h.deps.db, orgB, async (client) => {
      const out: Record<string, number> = {};
      for (const table of [
        'organizations',
        'projects',
        'api_keys',
        'audit_logs',
        'key_outbox',
        'telemetry_events',
        'event_rollups_1m',
        ...tiers,
        'attribute_overflow',
      ]) {
        const col = table === 'organizations' ? 'id' : 'org_id';
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${col} = $1`, [
          a.orgId,
        ]);
        out[table] = rows[0].n;
      }
      return out;
    });
    expect(Object.values(seen).every((n) => n === 0)).toBe(true);
    // Without an org set, the app role sees no tenant rows at all.
    const bare = await h.deps.db.query('SELECT count(*)::int AS n FROM api_keys');
    expect(bare.rows[0].n).toBe(0);
    // And it cannot write into another org.
    await expect(
      withOrg(h.deps.db, orgB, (client) =>
        client.query("INSERT INTO projects (org_id, name) VALUES ($1, 'planted')", [a.orgId]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
