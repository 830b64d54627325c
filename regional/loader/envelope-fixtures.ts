// Builds envelope lines and gzip landing objects for loader tests and the loader benchmark.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import type { EnvelopeV1 } from '../../contract/index.ts';

/** Tenant identity stamped on envelopes (as the edge would from the key). */
export interface Tenant {
  orgId: string;
  projectId: string;
  keyId: string;
}

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4', 'gemini-2.5-flash'] as const;
const PROVIDERS = ['openai', 'openai', 'anthropic', 'gcp.gemini'] as const;

/** A realistic valid envelope; `i` varies model, status, latency and tokens deterministically. */
export function makeEnvelope(
  tenant: Tenant,
  i: number,
  opts: { ts?: Date; eventId?: string; runId?: string } = {},
): EnvelopeV1 {
  const m = i % MODELS.length;
  const error = i % 17 === 0;
  const ts = opts.ts ?? new Date();
  const event: Record<string, unknown> = {
    schema_version: '1.0',
    event_id: opts.eventId ?? `${opts.runId ?? 'ev'}-${i}`,
    timestamp: ts.toISOString(),
    operation: i % 5 === 0 ? 'embeddings' : 'chat',
    provider: PROVIDERS[m],
    model: MODELS[m],
    status: error ? 'error' : 'ok',
    duration_ms: 20 + ((i * 7919) % 5000) + (i % 10) / 10,
    usage: {
      input_tokens: 100 + (i % 1000),
      output_tokens: 10 + (i % 300),
      cache_read_input_tokens: i % 3 === 0 ? 50 : 0,
    },
    cost_usd: ((i % 1000) + 1) / 100000,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    environment: i % 4 === 0 ? 'staging' : 'production',
    attributes: { route: '/chat', retry: false, n: i % 10 },
    sdk: { name: 'llm_observer', version: '0.4.0', language: 'python' },
  };
  if (error) event.error = { type: 'RateLimitError', message: 'slow down' };
  return {
    v: 1,
    org_id: tenant.orgId,
    project_id: tenant.projectId,
    key_id: tenant.keyId,
    received_at: new Date(ts.getTime() + 150).toISOString(),
    edge_region: 'eu-west-1',
    request_id: randomUUID(),
    event: event as EnvelopeV1['event'],
  };
}

/** NDJSON text of envelopes (every line ends with a newline). */
export function ndjson(envelopes: Iterable<unknown>): string {
  let out = '';
  for (const e of envelopes) out += `${typeof e === 'string' ? e : JSON.stringify(e)}\n`;
  return out;
}

/** Writes `lines` gzip-compressed to `<root>/<bucket>/<key>` (the file object source's layout). */
export async function writeGzipObject(
  root: string,
  bucket: string,
  key: string,
  text: string,
): Promise<void> {
  const file = path.join(root, bucket, key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, gzipSync(text));
}

/**
 * Streams a gzip NDJSON landing object of `count` valid envelopes spread over the last 30 minutes to
 * `file`, never holding it in memory (objects of any size). Returns the uncompressed size in bytes.
 * With `actors`, events carry a user id (2,000 users) and a session id (20 consecutive events each),
 * so the per-user and per-session rows are written as a real app's events would make them.
 */
export async function writeLandingObjectStream(
  file: string,
  tenant: Tenant,
  run: string,
  count: number,
  gzipLevel = 6,
  actors = false,
): Promise<number> {
  let bytes = 0;
  const start = Date.now() - 30 * 60_000;
  function* chunks() {
    let batch = '';
    for (let i = 0; i < count; i++) {
      // Spread over 30 minutes so the rollups have many rows.
      const e = makeEnvelope(tenant, i, { runId: run, ts: new Date(start + (i % 1800) * 1000) });
      if (actors)
        Object.assign(e.event, { user_id: `user-${i % 2000}`, session_id: `${run}-s${Math.floor(i / 20)}` });
      batch += `${JSON.stringify(e)}\n`;
      if (batch.length > 256 * 1024) {
        bytes += Buffer.byteLength(batch);
        yield batch;
        batch = '';
      }
    }
    bytes += Buffer.byteLength(batch);
    yield batch;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await pipeline(Readable.from(chunks()), createGzip({ level: gzipLevel }), createWriteStream(file));
  return bytes;
}
