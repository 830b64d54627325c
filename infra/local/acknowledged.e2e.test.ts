// "Once answered 202, never lost" against the real `npm start`: poison events cost other tenants nothing,
// and every acknowledged event is in telemetry_events after a Ctrl-C (once or twice) or a kill -9 and a restart.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackProcess } from '../testing/stack-process.ts';
import type { StackInfo } from './context.ts';
import { LOCAL_AWS } from './dynamo.ts';

const stack = new StackProcess();
let info: StackInfo;
/** A liveness bound for asynchronous steps, not a speed test (speed is measured in benchmarks/). */
const POLL = { timeout: 60_000, interval: 250 };
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = Date.now().toString(36);

function event(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_version: '1.0',
    event_id: id,
    timestamp: new Date().toISOString(),
    operation: 'chat',
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: 'ok',
    duration_ms: 120,
    usage: { input_tokens: 10, output_tokens: 5 },
    ...overrides,
  };
}

/** Now, written in another UTC offset (`+16:00` etc.): RFC 3339 allows it, PostgreSQL's timestamptz does not. */
function nowAtOffset(offset: string): string {
  const sign = offset.startsWith('+') ? 1 : -1;
  const minutes = Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4));
  const local = new Date(Date.now() + sign * minutes * 60_000);
  return `${local.toISOString().slice(0, 19)}.250${offset}`;
}

async function ingestText(
  key: string,
  body: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${info.ingest_url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const ingest = (key: string, events: unknown[]) => ingestText(key, JSON.stringify({ events }));

async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: info.database_url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

const loaded = (ids: string[]) =>
  withDb(
    async (db) =>
      (
        await db.query<{ n: number }>(
          'SELECT count(DISTINCT event_id)::int AS n FROM telemetry_events WHERE event_id = ANY($1)',
          [ids],
        )
      ).rows[0]?.n,
  );

/** Sends `n` events with the demo key; every one must be acknowledged. */
async function sendAcknowledged(tag: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${tag}-${run}-${i}`);
  const answer = await ingest(
    info.demo.api_key ?? '',
    ids.map((id) => event(id)),
  );
  expect(answer).toMatchObject({ status: 202, body: { accepted: n, rejected: [] } });
  return ids;
}

/** Files the Firehose stand-in still holds (journal segments, undelivered notifications). */
async function undelivered(): Promise<string[]> {
  const dir = path.join(stack.dataDir, 'firehose', 'llmo-events');
  const list = async (sub: string) =>
    (await readdir(path.join(dir, sub)).catch(() => [] as string[])).map((f) => `${sub}/${f}`);
  return [...(await list('records')), ...(await list('notifications'))];
}

beforeAll(async () => {
  await stack.prepare();
  info = await stack.start();
});
afterAll(() => stack.destroy());

describe('poison events beside another tenant’s, through the real edge', () => {
  it('the other tenant’s events in the same landing object all load; the poison ones are refused (400/rejected[]) or quarantined, none silently lost', async () => {
    // Tenant M(allory) gets its own organization, project and key through the operator CLI and the API.
    const org = JSON.parse((await stack.npmRun('org', ['create', '--name', `Mallory ${run}`])).stdout) as {
      id: string;
    };
    const token = (
      await stack.npmRun('token', ['--email', `m-${run}@example.test`, '--org', org.id, '--role', 'admin'])
    ).stdout.trim();
    const api = (p: string, body: unknown) =>
      fetch(`${info.api_url}${p}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
    const project = await api('/v1/projects', { name: 'poison' });
    expect(project.status).toBe(201);
    const key = await api(`/v1/projects/${project.body.id}/api-keys`, { name: 'poison' });
    expect(key.status).toBe(201);
    const malloryKey = String(key.body.key);
    // The key reaches the edge through the outbox.
    await expect.poll(async () => (await ingest(malloryKey, [])).status, POLL).not.toBe(401);

    // A valid line the database refuses, for real: a constraint this run's model name breaks (as a
    // future column rule or an unforeseen PostgreSQL limit would), so it reaches the loader's quarantine.
    const refusedModel = `refused-${run}`;
    const constraint = `llmo_e2e_refuse_${run}`;
    await withDb((db) =>
      db.query(
        `ALTER TABLE telemetry_events ADD CONSTRAINT ${constraint} CHECK (model <> '${refusedModel}')`,
      ),
    );
    try {
      const victimIds = Array.from({ length: 20 }, (_, i) => `victim-${run}-${i}`);
      const goodIds = Array.from({ length: 5 }, (_, i) => `mallory-ok-${run}-${i}`);
      const offsetIds = [`mallory-plus16-${run}`, `mallory-minus2359-${run}`];
      const refusedIds = Array.from({ length: 3 }, (_, i) => `mallory-refused-${run}-${i}`);
      const deepId = `mallory-deep-${run}`;
      // An unknown field nested 60,000 levels deep (~120 KB, under every size limit), written out
      // (JSON.stringify would overflow the stack): PostgreSQL's JSON parser gives up long before that.
      const deepEvent = JSON.stringify(event(deepId, { nested_unknown: '@' }));
      const deepBody = `{"events":[${deepEvent.replace('"@"', `${'['.repeat(60_000)}${']'.repeat(60_000)}`)}]}`;
      const poisonBatch = [
        ...goodIds.map((id) => event(id)),
        event(offsetIds[0] as string, { timestamp: nowAtOffset('+16:00') }),
        event(offsetIds[1] as string, { timestamp: nowAtOffset('-23:59') }),
        ...refusedIds.map((id) => event(id, { model: refusedModel })),
      ];
      // Sent together, so the Firehose stand-in packs them into one landing object.
      const [victim, poison, deepAnswer] = await Promise.all([
        ingest(
          info.demo.api_key ?? '',
          victimIds.map((id) => event(id)),
        ),
        ingest(malloryKey, poisonBatch),
        ingestText(malloryKey, deepBody),
      ]);
      expect(victim).toMatchObject({ status: 202, body: { accepted: 20, rejected: [] } });
      expect(poison).toMatchObject({ status: 202, body: { accepted: poisonBatch.length, rejected: [] } });
      // Deeper than the contract allows: refused at the edge, never acknowledged.
      expect(deepAnswer.status).toBe(400);
      expect(deepAnswer.body).toMatchObject({
        rejected: [expect.objectContaining({ index: 0 })],
      });

      await expect.poll(() => loaded(victimIds), POLL).toBe(victimIds.length);
      await expect.poll(() => loaded([...goodIds, ...offsetIds]), POLL).toBe(7);
      const quarantined = () =>
        withDb(
          async (db) =>
            (
              await db.query<{ id: string; reason: string; org_id: string; object_key: string }>(
                `SELECT line::jsonb->'event'->>'event_id' AS id, reason, org_id, object_key
                   FROM dead_letters WHERE line::jsonb->'event'->>'event_id' = ANY($1) ORDER BY 1`,
                [refusedIds],
              )
            ).rows,
        );
      await expect.poll(async () => (await quarantined()).length, POLL).toBe(refusedIds.length);
      const rows = await quarantined();
      expect(rows.map((r) => [r.id, r.reason, r.org_id])).toEqual(
        [...refusedIds].sort().map((id) => [id, 'rejected_by_database', org.id]),
      );
      expect(await loaded(refusedIds)).toBe(0);
      expect(await loaded([deepId])).toBe(0);

      // The victim's events shared the landing object with the refused lines and still all loaded.
      const s3 = new S3Client({
        ...LOCAL_AWS,
        endpoint: `http://127.0.0.1:${stack.port('S3')}`,
        forcePathStyle: true,
      });
      try {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: 'llmo-landing', Key: rows[0]?.object_key }),
        );
        const text = gunzipSync(Buffer.from(await (object.Body?.transformToByteArray() ?? []))).toString();
        expect(text).toContain(refusedIds[0]);
        expect(text).toContain(victimIds[0]);
        expect(
          (await s3.send(new ListObjectsV2Command({ Bucket: 'llmo-landing' }))).KeyCount,
        ).toBeGreaterThan(0);
      } finally {
        s3.destroy();
      }

      // After the fix, the operator's replay loads exactly the quarantined lines.
      await withDb((db) => db.query(`ALTER TABLE telemetry_events DROP CONSTRAINT ${constraint}`));
      const replay = spawn(
        'npx',
        [
          'tsx',
          'regional/loader/replay-cli.ts',
          '--quarantined',
          '--since',
          new Date().toISOString().slice(0, 10),
        ],
        {
          cwd: ROOT,
          env: {
            ...stack.env,
            SYSTEM_DATABASE_URL: info.database_url,
            S3_ENDPOINT: `http://127.0.0.1:${stack.port('S3')}`,
          },
          stdio: 'ignore',
        },
      );
      expect(await new Promise((resolve) => replay.once('exit', resolve))).toBe(0);
      expect(await loaded(refusedIds)).toBe(refusedIds.length);
      expect(await loaded(victimIds)).toBe(victimIds.length);
    } finally {
      await withDb((db) => db.query(`ALTER TABLE telemetry_events DROP CONSTRAINT IF EXISTS ${constraint}`));
    }
  });
});

describe('acknowledged ⇒ durable across stops of the whole stack', () => {
  it('202, then one Ctrl-C to the process group: the stop delivers everything before it exits; all events load', async () => {
    const ids = await sendAcknowledged('ctrl-c', 50);
    expect(['0', 'SIGINT']).toContain(await stack.stop());
    // The drain finished the work: nothing is left for the next start to recover.
    expect(await undelivered()).toEqual([]);
    info = await stack.start();
    expect(await loaded(ids)).toBe(ids.length);
  });

  it('202, then Ctrl-C delivered twice (terminal + forwarding parent): the second does not cut the drain short', async () => {
    const ids = await sendAcknowledged('double-ctrl-c', 50);
    expect(['0', 'SIGINT']).toContain(await stack.stop({ times: 2 }));
    expect(await undelivered()).toEqual([]);
    info = await stack.start();
    expect(await loaded(ids)).toBe(ids.length);
  });

  it('202, then kill -9 of the whole group: the next start needs no manual step, cleans up, and loads every event', async () => {
    const ids = await sendAcknowledged('kill-9', 50);
    expect(await stack.kill()).toBe('SIGKILL');
    const before = stack.stdoutLines.length;
    // The dashboard (its own process group) outlived the kill and holds its port; the start stops it.
    info = await stack.start();
    const startLines = stack.stdoutLines
      .slice(before)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(startLines).toContainEqual(
      expect.objectContaining({ message: 'stopped a process the previous run left behind', child: 'web' }),
    );
    await expect.poll(() => loaded(ids), POLL).toBe(ids.length);
    expect((await fetch(`${info.web_url}/api/health`)).status).toBe(200);
  });
});
