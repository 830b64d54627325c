// Loader against real PostgreSQL: the filter dimensions (trace, user, session, error type) and api_keys.last_used_at.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../db/pool.ts';
import { makeEnvelope, ndjson, type Tenant, writeGzipObject } from './envelope-fixtures.ts';
import { fileObjectSource } from './file-object-source.ts';
import { type LoadDeps, loadObject } from './load-object.ts';
import { createTenant, runId } from './test-helpers.ts';

const BUCKET = 'llmo-landing';
let system: pg.Pool;
let root: string;
let deps: LoadDeps;

beforeAll(async () => {
  system = createPool(inject('systemDatabaseUrl'), { max: 4 });
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-loader-dims-'));
  deps = { pool: system, source: fileObjectSource(root) };
});

afterAll(async () => {
  await system?.end();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A tenant whose key id is a real api_keys row (so last_used_at has somewhere to go). */
async function tenantWithKey(): Promise<Tenant> {
  const tenant = await createTenant(system);
  const prefix = randomBytes(6).toString('hex');
  await system.query(
    `INSERT INTO api_keys (id, org_id, project_id, prefix, secret_sha256, name) VALUES ($1, $2, $3, $4, $5, 'k')`,
    [tenant.keyId, tenant.orgId, tenant.projectId, prefix, randomBytes(32)],
  );
  return tenant;
}

async function lastUsed(keyId: string): Promise<string | null> {
  const { rows } = await system.query<{ t: Date | null }>(
    'SELECT last_used_at AS t FROM api_keys WHERE id = $1',
    [keyId],
  );
  return rows[0]?.t ? rows[0].t.toISOString() : null;
}

describe('loader dimensions', () => {
  it('stores trace, user, session and error type as columns, NULL when absent', async () => {
    const tenant = await tenantWithKey();
    const run = runId();
    const withIds = makeEnvelope(tenant, 17, { runId: run });
    Object.assign(withIds.event, { user_id: 'user-Ä', session_id: 'sess-1' });
    const bare = makeEnvelope(tenant, 1, { runId: run });
    delete (bare.event as Record<string, unknown>).trace_id;
    const key = `dims/${run}.gz`;
    await writeGzipObject(root, BUCKET, key, ndjson([withIds, bare]));
    await loadObject({ bucket: BUCKET, key }, deps);
    const { rows } = await system.query(
      `SELECT event_id, trace_id, user_id, session_id, error_type FROM telemetry_events
        WHERE project_id = $1 ORDER BY event_id`,
      [tenant.projectId],
    );
    expect(rows).toEqual([
      {
        event_id: `${run}-1`,
        trace_id: null,
        user_id: null,
        session_id: null,
        error_type: null,
      },
      {
        event_id: `${run}-17`,
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        user_id: 'user-Ä',
        session_id: 'sess-1',
        error_type: 'RateLimitError',
      },
    ]);
  });

  it('writes the newest received_at of the object to api_keys.last_used_at, and never moves it back', async () => {
    const tenant = await tenantWithKey();
    const run = runId();
    const base = Date.parse('2026-11-25T12:00:00.000Z');
    const now = new Date();
    const at = (minutes: number) => {
      const e = makeEnvelope(tenant, minutes, { runId: run, eventId: `${run}-${minutes}`, ts: now });
      e.received_at = new Date(base + minutes * 60_000).toISOString();
      return e;
    };
    expect(await lastUsed(tenant.keyId)).toBeNull();
    // Newest arrival in the middle of the object and in a later chunk than the first line.
    await writeGzipObject(root, BUCKET, `keys/${run}-a.gz`, ndjson([at(1), at(2), at(9), at(3)]));
    await loadObject({ bucket: BUCKET, key: `keys/${run}-a.gz` }, { ...deps, chunkLines: 2 });
    expect(await lastUsed(tenant.keyId)).toBe('2026-11-25T12:09:00.000Z');
    // An older object processed later (a redelivery, a slow loader) does not move it back.
    await writeGzipObject(root, BUCKET, `keys/${run}-b.gz`, ndjson([at(4)]));
    await loadObject({ bucket: BUCKET, key: `keys/${run}-b.gz` }, deps);
    expect(await lastUsed(tenant.keyId)).toBe('2026-11-25T12:09:00.000Z');
    await writeGzipObject(root, BUCKET, `keys/${run}-c.gz`, ndjson([at(12)]));
    await loadObject({ bucket: BUCKET, key: `keys/${run}-c.gz` }, deps);
    expect(await lastUsed(tenant.keyId)).toBe('2026-11-25T12:12:00.000Z');
  });

  it('keeps per-actor hourly totals, spans and users daily rows equal to the stored events, redeliveries included', async () => {
    const tenant = await tenantWithKey();
    const run = runId();
    // 50 minutes apart: about two days of events, so users have rows on several UTC days.
    const now = Date.now();
    const lines = Array.from({ length: 60 }, (_, i) => {
      const e = makeEnvelope(tenant, i, { runId: run, ts: new Date(now - i * 50 * 60_000) });
      Object.assign(e.event, { user_id: `u${i % 4}`, ...(i % 3 === 0 ? {} : { session_id: `s${i % 5}` }) });
      return e;
    });
    const key = `actors/${run}.gz`;
    await writeGzipObject(root, BUCKET, key, ndjson(lines));
    for (const fastPath of [true, false, true]) {
      await loadObject({ bucket: BUCKET, key }, { ...deps, chunkLines: 16, fastPath });
    }
    const rolled = await system.query(
      `SELECT kind, actor, sum(events)::int AS events, sum(errors)::int AS errors, sum(cost_usd)::float8 AS cost
         FROM actor_rollups_1h WHERE project_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenant.projectId],
    );
    const raw = await system.query(
      `SELECT a.kind, a.actor, count(*)::int AS events, count(*) FILTER (WHERE status = 'error')::int AS errors,
              sum(cost_usd)::float8 AS cost
         FROM telemetry_events e CROSS JOIN LATERAL (VALUES ('user', user_id), ('session', session_id)) a(kind, actor)
        WHERE project_id = $1 AND a.actor IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenant.projectId],
    );
    expect(raw.rows.length).toBe(4 + 5);
    expect(rolled.rows).toEqual(raw.rows);
    // The lifetime spans the users / sessions lists read for actors inside a range: same totals, once.
    const spans = await system.query(
      `SELECT kind, actor, events::int, errors::int, cost_usd::float8 AS cost, first_seen, last_seen
         FROM actor_spans WHERE project_id = $1 ORDER BY 1, 2`,
      [tenant.projectId],
    );
    const seen = await system.query(
      `SELECT a.kind, a.actor, min(ts) AS first_seen, max(ts) AS last_seen
         FROM telemetry_events e CROSS JOIN LATERAL (VALUES ('user', user_id), ('session', session_id)) a(kind, actor)
        WHERE project_id = $1 AND a.actor IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenant.projectId],
    );
    expect(spans.rows).toEqual(raw.rows.map((r, i) => ({ ...r, ...seen.rows[i] })));
    // Users' daily rows (UTC days): the day's totals, first/last seen and latency buckets; no session rows.
    const days = await system.query(
      `SELECT kind, actor, day, events::int, errors::int, cost_usd::float8 AS cost, latency_hist AS hist,
              first_seen, last_seen
         FROM actor_rollups_1d WHERE project_id = $1 ORDER BY 1, 2, 3`,
      [tenant.projectId],
    );
    const rawDays = await system.query(
      `SELECT 'user' AS kind, actor, day, sum(n)::int AS events, sum(err)::int AS errors, sum(cost)::float8 AS cost,
              coalesce(jsonb_object_agg(b, n) FILTER (WHERE b IS NOT NULL), '{}') AS hist, min(f) AS first_seen,
              max(l) AS last_seen
         FROM (SELECT user_id AS actor, date_bin('1 day', ts, timestamptz 'epoch') AS day,
                      llmo_latency_bucket(duration_ms) AS b, count(*) AS n,
                      count(*) FILTER (WHERE status = 'error') AS err, sum(cost_usd) AS cost, min(ts) AS f,
                      max(ts) AS l
                 FROM telemetry_events WHERE project_id = $1 GROUP BY 1, 2, 3) per_bucket
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [tenant.projectId],
    );
    expect(rawDays.rows.length).toBeGreaterThan(4);
    expect(days.rows).toEqual(rawDays.rows);
  });
});
