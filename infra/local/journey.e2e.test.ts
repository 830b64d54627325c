// The product's promise end to end against `npm start`: an admin makes a key, events sent with it land
// (landing store, telemetry_events, rollups) and show in analytics; revoking it closes the edge to it,
// and the audit log names the actor of each step.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackProcess } from '../testing/stack-process.ts';
import type { StackInfo } from './context.ts';
import { LOCAL_AWS } from './dynamo.ts';

const stack = new StackProcess();
let info: StackInfo;
let adminToken: string;
let memberToken: string;
/** A liveness bound for asynchronous steps, not a speed test (speed is measured in benchmarks/). */
const POLL = { timeout: 30_000, interval: 200 };

async function api(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${info.api_url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
}

async function ingest(key: string, events: unknown[]): Promise<Response> {
  return fetch(`${info.ingest_url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
}

const runId = Date.now().toString(36);
const events = Array.from({ length: 25 }, (_, i) => ({
  schema_version: '1.0',
  event_id: `journey-${runId}-${i}`,
  timestamp: new Date(Date.now() - i * 1000).toISOString(),
  operation: 'chat',
  provider: i % 5 === 0 ? 'anthropic' : 'openai',
  model: i % 5 === 0 ? 'claude-sonnet-4' : 'gpt-4o-mini',
  status: i % 10 === 3 ? 'error' : 'ok',
  ...(i % 10 === 3 ? { error: { type: 'rate_limit', message: 'slow down' } } : {}),
  duration_ms: 100 + i * 10,
  usage: { input_tokens: 100, output_tokens: 20 },
  cost_usd: 0.001,
}));

beforeAll(async () => {
  await stack.prepare();
  info = await stack.start();
  const token = async (role: 'admin' | 'member') => {
    const email = role === 'admin' ? info.demo.admin_email : info.demo.member_email;
    const out = await stack.npmRun('token', ['--email', email, '--org', info.demo.org_id, '--role', role]);
    return out.stdout.trim();
  };
  adminToken = await token('admin');
  memberToken = await token('member');
});
afterAll(() => stack.destroy());

describe('admin → key → events → analytics → revoke → audit', () => {
  let key: { id: string; key: string };

  it('the demo stack serves the API and the ingest endpoint', async () => {
    expect(info.api_url).toBeTruthy();
    expect(info.ingest_url).toBeTruthy();
    expect(info.demo.api_key).toMatch(/^lok_/);
    const me = await api('/v1/me', adminToken);
    expect(await me.json()).toMatchObject({ org_id: info.demo.org_id, role: 'admin' });
    const projects = (await (await api('/v1/projects', adminToken)).json()) as {
      projects: Array<{ id: string }>;
    };
    expect(projects.projects.map((p) => p.id)).toContain(info.demo.project_id);
  });

  it('a member may read but not administer', async () => {
    expect((await api('/v1/projects', memberToken)).status).toBe(200);
    const denied = await api(`/v1/projects/${info.demo.project_id}/api-keys`, memberToken, {
      method: 'POST',
      body: JSON.stringify({ name: 'nope' }),
    });
    expect(denied.status).toBe(403);
  });

  it('an admin creates a key; events sent with it are accepted', async () => {
    const created = await api(`/v1/projects/${info.demo.project_id}/api-keys`, adminToken, {
      method: 'POST',
      body: JSON.stringify({ name: 'journey' }),
    });
    expect(created.status).toBe(201);
    key = (await created.json()) as { id: string; key: string };
    expect(key.key).toMatch(/^lok_/);
    // The key reaches the edge through the outbox; until then the edge does not know it. (How fast
    // is measured in benchmarks/api; here: it does happen.)
    let accepted: unknown;
    await expect
      .poll(async () => {
        const res = await ingest(key.key, events);
        accepted = await res.json();
        return res.status;
      }, POLL)
      .toBe(202);
    expect(accepted).toMatchObject({ accepted: events.length, rejected: [] });
  });

  it('the events land as objects, then as rows and rollups that agree', async () => {
    const s3 = new S3Client({
      ...LOCAL_AWS,
      endpoint: `http://127.0.0.1:${stack.port('S3')}`,
      forcePathStyle: true,
    });
    const listed = () => s3.send(new ListObjectsV2Command({ Bucket: 'llmo-landing' }));
    await expect.poll(async () => (await listed()).KeyCount ?? 0, POLL).toBeGreaterThan(0);
    expect((await listed()).Contents?.[0]?.Key).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
    s3.destroy();

    const db = new pg.Client({ connectionString: info.database_url });
    await db.connect();
    try {
      const ids = events.map((e) => e.event_id);
      const stored = async () =>
        (
          await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND event_id = ANY($2)',
            [info.demo.project_id, ids],
          )
        ).rows[0]?.n;
      await expect.poll(stored, POLL).toBe(events.length);
      const { rows: check } = await db.query<{ raw: number; rolled: number }>(
        `SELECT (SELECT count(*)::int FROM telemetry_events WHERE project_id = $1) AS raw,
                (SELECT coalesce(sum(events), 0)::int FROM event_rollups_1m WHERE project_id = $1) AS rolled`,
        [info.demo.project_id],
      );
      expect(check[0]?.rolled).toBe(check[0]?.raw);
    } finally {
      await db.end();
    }
  });

  it('the analytics routes show them', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = `project_id=${info.demo.project_id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const overview = (await (await api(`/v1/analytics/overview?${q}`, memberToken)).json()) as Record<
      string,
      unknown
    >;
    expect(overview).toMatchObject({
      events: events.length,
      errors: 3,
      input_tokens: 2500,
      output_tokens: 500,
    });
    const breakdown = (await (await api(`/v1/analytics/breakdown?${q}&by=model`, memberToken)).json()) as {
      rows: Array<{ key: string; events: number }>;
    };
    expect(breakdown.rows.find((r) => r.key === 'claude-sonnet-4')?.events).toBe(5);
    const series = (await (await api(`/v1/analytics/timeseries?${q}&interval=1m`, memberToken)).json()) as {
      points: Array<{ events: number }>;
    };
    expect(series.points.reduce((n, p) => n + p.events, 0)).toBe(events.length);
    const explorer = (await (await api(`/v1/analytics/events?${q}&limit=100`, memberToken)).json()) as {
      items: Array<{ event_id: string }>;
    };
    expect(explorer.items.map((e) => e.event_id)).toEqual(
      expect.arrayContaining(events.map((e) => e.event_id)),
    );
  });

  it('revoking the key closes the edge to it', async () => {
    const revoked = await api(`/v1/api-keys/${key.id}/revoke`, adminToken, { method: 'POST' });
    expect(revoked.status).toBe(200);
    await expect.poll(async () => (await ingest(key.key, events.slice(0, 1))).status, POLL).toBe(401);
  });

  it('the audit log shows each step with its actor, and no secret', async () => {
    const res = await api('/v1/audit-logs?limit=50', adminToken);
    const body = (await res.json()) as {
      items: Array<{ action: string; target_id: string; actor: { email: string } }>;
    };
    const mine = body.items.filter((i) => i.target_id === key.id).map((i) => [i.action, i.actor.email]);
    expect(mine).toEqual(
      expect.arrayContaining([
        ['api_key.create', info.demo.admin_email],
        ['api_key.revoke', info.demo.admin_email],
      ]),
    );
    expect(JSON.stringify(body)).not.toContain(key.key.split('.')[1]);
  });
});
