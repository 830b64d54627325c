// Keeps regional/openapi.json and regional/openapi-ingest.json true: real answers of both APIs must match them.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postEvents, sampleEvent, startHarness as startEdge } from '../../../edge/test/harness.ts';
import { type Harness, startHarness } from '../testing/harness.ts';
import { seedProject } from '../testing/seed-telemetry.ts';
import { openApiChecker } from './validator.ts';

const regionalDoc = fileURLToPath(new URL('../../openapi.json', import.meta.url));
const ingestDoc = fileURLToPath(new URL('../../openapi-ingest.json', import.meta.url));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('regional/openapi.json', () => {
  it('describes every answer of a full admin + analytics session, errors included', async () => {
    const checker = openApiChecker(regionalDoc);
    const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
      const res = await h.call(method, path, options);
      checker.check({
        method,
        path: path.split('?')[0] ?? path,
        status: res.status,
        headers: res.headers,
        body: res.body,
      });
      return res;
    };
    const { orgId, projectId } = await h.org();
    const admin = await h.token(orgId, 'admin', 'ada@example.test');
    const member = await h.token(orgId, 'member');
    const HOUR = 3_600_000;
    const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const start = new Date(end.getTime() - HOUR);
    await seedProject(
      h.system,
      {
        orgId,
        projectId,
        keyId: randomUUID(),
        from: start,
        spanMs: HOUR,
        count: 300,
      },
      end,
    );
    const range = `from=${start.toISOString()}&to=${end.toISOString()}`;

    await call('GET', '/v1/health');
    await call('GET', '/v1/me', { token: member });
    await call('GET', '/v1/projects', { token: member });
    const project = await call('POST', '/v1/projects', { token: admin, body: { name: 'openapi' } });
    await call('POST', '/v1/projects', { token: admin, body: { name: 'openapi' } }); // 409
    await call('POST', '/v1/projects', { token: admin, body: { nope: 1 } }); // 400
    await call('POST', '/v1/projects', { token: member, body: { name: 'x' } }); // 403
    const key = await call('POST', `/v1/projects/${project.body.id}/api-keys`, {
      token: admin,
      body: { name: 'k' },
    });
    await call('POST', `/v1/projects/${randomUUID()}/api-keys`, { token: admin, body: { name: 'k' } }); // 404
    await call('GET', `/v1/projects/${project.body.id}/api-keys`, { token: admin });
    await call('POST', `/v1/api-keys/${key.body.id}/revoke`, { token: admin });
    await call('GET', `/v1/projects/${project.body.id}/api-keys`, { token: admin }); // revoked_at set
    await call('POST', `/v1/api-keys/${randomUUID()}/revoke`, { token: admin }); // 404
    await call('GET', '/v1/audit-logs?limit=1', { token: admin });
    await call('GET', '/v1/audit-logs?cursor=bad', { token: admin }); // 400
    await call('GET', `/v1/analytics/overview?project_id=${projectId}&${range}`, { token: member });
    await call('GET', `/v1/analytics/overview?from=2020-01-01T00:00:00Z`, { token: member }); // 400
    await call('GET', `/v1/analytics/timeseries?project_id=${projectId}&${range}&interval=5m`, {
      token: member,
    });
    await call('GET', `/v1/analytics/breakdown?${range}&by=provider`, { token: member });
    await call('GET', `/v1/analytics/breakdown?${range}&by=nope`, { token: member }); // 400
    const events = await call('GET', `/v1/analytics/events?project_id=${projectId}&${range}&limit=5`, {
      token: member,
    });
    await call('GET', `/v1/analytics/events?${range}&limit=5&cursor=${events.body.next_cursor}`, {
      token: member,
    });
    await call('GET', `/v1/analytics/events?project_id=${randomUUID()}`, { token: member }); // 404
    await call('GET', `/v1/analytics/events?${range}&user_id=user-1&attr.route=/chat&error_type=x`, {
      token: member,
    });
    const first = (events.body.items as Array<{ event_id: string; trace_id: string }>)[0];
    await call('GET', `/v1/analytics/events/${first?.event_id}?project_id=${projectId}`, { token: member });
    await call('GET', '/v1/analytics/events/no-such-event', { token: member }); // 404
    await call('GET', `/v1/analytics/traces/${first?.trace_id}`, { token: member });
    await call('GET', `/v1/analytics/values?${range}&dimension=model&prefix=gpt`, { token: member });
    await call('GET', `/v1/analytics/values?${range}&dimension=nope`, { token: member }); // 400
    const users = await call('GET', `/v1/analytics/users?${range}&limit=2`, { token: member });
    await call('GET', `/v1/analytics/users?${range}&limit=2&cursor=${users.body.next_cursor}`, {
      token: member,
    });
    await call('GET', `/v1/analytics/sessions?project_id=${projectId}&${range}&sort=cost_usd`, {
      token: member,
    });
    await call('GET', `/v1/analytics/sessions?${range}&sort=nope`, { token: member }); // 400
    await call('GET', '/v1/projects'); // 401
    await call('GET', '/v1/projects', { token: 'not-a-jwt' }); // 401
    await call('DELETE', '/v1/projects', { token: admin }); // 405

    expect(checker.uncoveredSuccesses()).toEqual([]);
  });

  it('fails an answer that drifts from the document', () => {
    const checker = openApiChecker(regionalDoc);
    const headers = new Headers({ 'x-request-id': 'r' });
    expect(() =>
      checker.check({
        method: 'GET',
        path: '/v1/me',
        status: 200,
        headers,
        body: { sub: 's', email: 'e', org_id: randomUUID(), role: 'owner' },
      }),
    ).toThrow(/does not match/);
    expect(() => checker.check({ method: 'GET', path: '/v1/me', status: 418, headers, body: {} })).toThrow(
      /not documented/,
    );
    expect(() =>
      checker.check({ method: 'GET', path: '/v1/unknown', status: 200, headers, body: {} }),
    ).toThrow(/not in the document/);
  });
});

describe('regional/openapi-ingest.json', () => {
  it('describes the edge’s answers', async () => {
    const checker = openApiChecker(ingestDoc);
    const edge = await startEdge({
      dynamoEndpoint: inject('dynamoEndpoint'),
      keyTableName: inject('keyTableName'),
    });
    try {
      const { orgId, projectId } = await h.org();
      const admin = await h.token(orgId, 'admin');
      const created = await h.call('POST', `/v1/projects/${projectId}/api-keys`, {
        token: admin,
        body: { name: 'ingest' },
      });
      const key = String(created.body.key);
      const record = async (method: string, path: string, res: Response) => {
        const text = await res.text();
        checker.check({ method, path, status: res.status, headers: res.headers, body: JSON.parse(text) });
        return res.status;
      };
      const good = sampleEvent();
      expect(
        await record(
          'POST',
          '/v1/events',
          await postEvents(edge.url, key, JSON.stringify({ events: [good, { bad: true }] })),
        ),
      ).toBe(202);
      expect(await record('POST', '/v1/events', await postEvents(edge.url, key, '{nope'))).toBe(400);
      expect(
        await record(
          'POST',
          '/v1/events',
          await postEvents(edge.url, key, JSON.stringify({ events: [{ bad: 1 }] })),
        ),
      ).toBe(400);
      expect(await record('POST', '/v1/events', await postEvents(edge.url, undefined, '{}'))).toBe(401);
      expect(await record('POST', '/v1/events', await postEvents(edge.url, 'lok_nope', '{}'))).toBe(401);
      expect(
        await record(
          'POST',
          '/v1/events',
          await postEvents(edge.url, key, JSON.stringify({ events: [good] }), {
            'content-type': 'text/plain',
          }),
        ),
      ).toBe(415);
      expect(await record('GET', '/v1/events', await fetch(`${edge.url}/v1/events`))).toBe(405);
      expect(await record('GET', '/v1/health', await fetch(`${edge.url}/v1/health`))).toBe(200);
      expect(checker.uncoveredSuccesses()).toEqual([]);
    } finally {
      await edge.stop();
    }
  });
});
