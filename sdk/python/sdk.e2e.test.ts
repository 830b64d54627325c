// The SDK against `npm start`: instrumented openai/anthropic clients send through the real ingest URL
// with a key made via the admin API; the events show in the analytics overview and the explorer, and
// a batch the SDK resends after a lost response is counted once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackInfo } from '../../infra/local/context.ts';
import { StackProcess } from '../../infra/testing/stack-process.ts';
import { runPython } from './python-env.ts';

const stack = new StackProcess();
let info: StackInfo;
let adminToken: string;
let apiKey: string;
/** A liveness bound for asynchronous steps, not a speed test. */
const POLL = { timeout: 60_000, interval: 300 };

type SentEvent = { event_id: string; status: string; usage?: { input_tokens?: number } };
type Report = {
  flushed: boolean;
  stats: { sent: number; rejected: number; dropped: number; retried: number };
  events: SentEvent[];
};

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${info.api_url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
  });
}

async function sdkRun(endpoint: string, args: string[]): Promise<Report> {
  const run = await runPython(['-m', 'tests.e2e_send', ...args], {
    env: { LLM_OBSERVER_ENDPOINT: endpoint, LLM_OBSERVER_API_KEY: apiKey },
  });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

/** Forwards to the real ingest URL, but loses the edge's answer to the first request (answers 503). */
function lossyProxy(target: string): Promise<{ server: Server; url: string; forwarded: number[] }> {
  const forwarded: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const upstream = await fetch(`${target}${req.url}`, {
        method: 'POST',
        headers: {
          authorization: String(req.headers.authorization),
          'content-type': String(req.headers['content-type']),
          'content-encoding': String(req.headers['content-encoding']),
        },
        body: Buffer.concat(chunks),
      });
      const body = await upstream.text();
      forwarded.push(upstream.status);
      if (forwarded.length === 1) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end('{"error":{"code":"unavailable"}}');
        return;
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, forwarded }),
    ),
  );
}

beforeAll(async () => {
  await stack.prepare();
  info = await stack.start();
  const out = await stack.npmRun('token', [
    '--email',
    info.demo.admin_email,
    '--org',
    info.demo.org_id,
    '--role',
    'admin',
  ]);
  adminToken = out.stdout.trim();
});
afterAll(() => stack.destroy());

describe('llm_observer → ingest → analytics', () => {
  const sent: SentEvent[] = [];
  let resent: SentEvent[] = [];

  it('a key made through the admin API reaches the edge', async () => {
    const created = await api(`/v1/projects/${info.demo.project_id}/api-keys`, {
      method: 'POST',
      body: JSON.stringify({ name: 'python-sdk' }),
    });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { key: string }).key;
    // An empty batch is refused as a batch (400) once the key is known, and as a key (401) before.
    const probe = async () =>
      (
        await fetch(`${info.ingest_url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: '{"events":[]}',
        })
      ).status;
    await expect.poll(probe, POLL).toBe(400);
  });

  // First, so that the later run's events were accepted after both copies: once those are loaded
  // (objects load in landing order), so are both copies.
  it('a batch whose answer was lost is resent with the same event ids', async () => {
    const proxy = await lossyProxy(info.ingest_url ?? '');
    try {
      const report = await sdkRun(proxy.url, ['3', 'plain']);
      expect(report.flushed).toBe(true);
      expect(report.stats).toMatchObject({ sent: 3, retried: 1, dropped: 0 });
      expect(proxy.forwarded).toEqual([202, 202]); // the edge accepted both copies
      resent = report.events;
      sent.push(...resent);
    } finally {
      proxy.server.close();
    }
  });

  it('instrumented calls are sent and accepted', async () => {
    const report = await sdkRun(info.ingest_url ?? '', ['6', 'extras']);
    expect(report.flushed).toBe(true);
    expect(report.stats).toMatchObject({ sent: 9, rejected: 0, dropped: 0 });
    expect(report.events.filter((e) => e.status === 'error')).toHaveLength(1);
    sent.push(...report.events);
  });

  it('the events show in the overview and the explorer, each once', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = `project_id=${info.demo.project_id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const ids = sent.map((e) => e.event_id);
    expect(ids).toHaveLength(12);
    const listed = async () => {
      const page = (await (await api(`/v1/analytics/events?${q}&limit=100`)).json()) as {
        items: Array<{ event_id: string }>;
      };
      return page.items.map((e) => e.event_id);
    };
    await expect.poll(listed, POLL).toEqual(expect.arrayContaining(ids));
    const explorer = await listed();
    expect(explorer).toHaveLength(ids.length);

    const overview = async () =>
      (await (await api(`/v1/analytics/overview?${q}`)).json()) as Record<string, number>;
    const inputTokens = sent.reduce((n, e) => n + (e.usage?.input_tokens ?? 0), 0);
    await expect.poll(async () => (await overview()).events, POLL).toBe(sent.length);
    expect(await overview()).toMatchObject({ events: sent.length, errors: 1, input_tokens: inputTokens });

    const db = new pg.Client({ connectionString: info.database_url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM telemetry_events WHERE project_id = $1 AND event_id = ANY($2)',
        [info.demo.project_id, resent.map((e) => e.event_id)],
      );
      expect(rows[0]?.n).toBe(resent.length);
    } finally {
      await db.end();
    }
  });
});
