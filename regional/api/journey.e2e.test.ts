// The "done when", against `npm start`: token → projects → key → events → analytics → revoke → 401 → audit log.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackInfo } from '../../infra/local/context.ts';
import { StackProcess } from '../../infra/testing/stack-process.ts';

const stack = new StackProcess();
let info: StackInfo;
let admin = '';
let member = '';

beforeAll(async () => {
  await stack.prepare();
  info = await stack.start();
  const token = async (role: 'admin' | 'member', email: string) => {
    const out = await stack.npmRun('token', ['--email', email, '--org', info.demo.org_id, '--role', role]);
    expect(out.code).toBe(0);
    return out.stdout.trim();
  };
  admin = await token('admin', info.demo.admin_email);
  member = await token('member', info.demo.member_email);
});
afterAll(() => stack.destroy());

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${info.api_url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function ingest(key: string, events: unknown[]) {
  return fetch(`${info.ingest_url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
}

describe('admin journey against npm start', () => {
  it('lists projects, creates a key, sees its events, revokes it, and the audit log tells the story', async () => {
    expect(info.api_url).toBeTruthy();
    const projects = await api('GET', '/v1/projects', member);
    expect(projects.status).toBe(200);
    expect((projects.body.projects as Array<{ id: string }>).map((p) => p.id)).toContain(
      info.demo.project_id,
    );

    const projectId = info.demo.project_id;
    const created = await api('POST', `/v1/projects/${projectId}/api-keys`, admin, { name: 'journey' });
    expect(created.status).toBe(201);
    const key = String(created.body.key);

    const runId = randomUUID().slice(0, 8);
    const now = Date.now();
    const events = ['gpt-4o-mini', 'gpt-4o-mini', 'claude-sonnet-4'].map((model, i) => ({
      schema_version: '1.0',
      event_id: `journey-${runId}-${i}`,
      timestamp: new Date(now - i * 1000).toISOString(),
      operation: 'chat',
      provider: model.startsWith('gpt') ? 'openai' : 'anthropic',
      model,
      status: i === 2 ? 'error' : 'ok',
      ...(i === 2 ? { error: { type: 'timeout', message: 'upstream timed out' } } : {}),
      duration_ms: 100 * (i + 1),
      usage: { input_tokens: 10, output_tokens: 5 },
      cost_usd: 0.001,
      environment: 'e2e',
    }));
    // The edge learns the new key through the outbox → DynamoDB; retry until it does.
    await expect
      .poll(async () => (await ingest(key, events)).status, { timeout: 30_000, interval: 250 })
      .toBe(202);

    const q = `project_id=${projectId}&from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 60_000).toISOString()}`;
    await expect
      .poll(async () => (await api('GET', `/v1/analytics/events?${q}&environment=e2e`, member)).body.items, {
        timeout: 60_000,
        interval: 500,
      })
      .toHaveLength(3);
    const overview = await api('GET', `/v1/analytics/overview?${q}`, member);
    expect(overview.body).toMatchObject({ events: 3, errors: 1, input_tokens: 30, output_tokens: 15 });
    expect(overview.body.data_as_of).toEqual(expect.any(String));
    const series = await api('GET', `/v1/analytics/timeseries?${q}&interval=1m`, member);
    expect((series.body.points as Array<{ events: number }>).reduce((n, p) => n + p.events, 0)).toBe(3);
    const byModel = await api('GET', `/v1/analytics/breakdown?${q}&by=model`, member);
    expect(byModel.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'gpt-4o-mini', events: 2 }),
        expect.objectContaining({ key: 'claude-sonnet-4', events: 1, errors: 1 }),
      ]),
    );

    const revoked = await api('POST', `/v1/api-keys/${created.body.id}/revoke`, admin);
    expect(revoked.status).toBe(200);
    // How fast this happens is measured in benchmarks/api (revocation.ts); here: it does happen.
    await expect
      .poll(async () => (await ingest(key, events)).status, { timeout: 30_000, interval: 100 })
      .toBe(401);

    const audit = await api('GET', '/v1/audit-logs?limit=10', admin);
    const mine = (audit.body.items as Array<Record<string, unknown>>).filter(
      (i) => i.target_id === created.body.id,
    );
    expect(mine.map((i) => i.action)).toEqual(['api_key.revoke', 'api_key.create']);
    for (const entry of mine) expect(entry.actor).toMatchObject({ email: info.demo.admin_email });
    expect(JSON.stringify(audit.body)).not.toContain(key.split('.')[1] ?? 'x');

    expect((await api('POST', `/v1/projects/${projectId}/api-keys`, member, { name: 'nope' })).status).toBe(
      403,
    );
  });
});
