// Accepted ⇒ loadable: every event the edge's real parser and validator accept loads, through the real loader, into real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeBody } from '../../edge/src/body/decode-body.ts';
import { parseEventBatch } from '../../edge/src/body/parse-batch.ts';
import { envelopeHead } from '../../edge/src/sink/envelope.ts';
import { packEnvelopes } from '../../edge/src/sink/pack-records.ts';
import { createPool } from '../db/pool.ts';
import { writeGzipObject } from './envelope-fixtures.ts';
import { fileObjectSource } from './file-object-source.ts';
import { type LoadDeps, loadObject } from './load-object.ts';
import { createTenant } from './test-helpers.ts';

const BUCKET = 'llmo-landing';
const WINDOW = { maxFutureMs: 10 * 60_000, maxAgeMs: 2 * 86_400_000 };
let system: pg.Pool;
let root: string;
let deps: LoadDeps;

beforeAll(async () => {
  system = createPool(inject('systemDatabaseUrl'), { max: 2 });
  root = await mkdtemp(path.join(os.tmpdir(), 'llmo-accepted-'));
  deps = { pool: system, source: fileObjectSource(root), chunkLines: 16 };
});

afterAll(async () => {
  await system?.end();
  if (root) await rm(root, { recursive: true, force: true });
});

// ---- generators, biased to the extremes -------------------------------------------------------

/** One character from anywhere: every Unicode plane, lone surrogates, NUL, quotes, backslashes, separators. */
const charArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\ud800',
      '\udfff',
      '\\',
      '"',
      '\n',
      '\t',
      '\u2028',
      '\ufeff',
      '\uffff',
      '\u{10ffff}',
      '\u{1f600}',
      'é',
      '\u0085',
    ),
  },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCharCode(cp)) },
);
const textArb = (min: number, max: number) =>
  fc.array(charArb, { minLength: min, maxLength: max }).map((a) => a.join(''));

const tinyHuge = (max: number) =>
  fc.oneof(
    fc.constantFrom(
      0,
      -0,
      Number.MIN_VALUE,
      1e-300,
      2.2250738585072014e-308,
      0.1,
      1e-7,
      max,
      max - Number.EPSILON * max,
    ),
    fc.double({ min: 0, max, noNaN: true }),
  );
const anyNumber = fc.oneof(
  fc.constantFrom(
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    -0,
    1e21,
    2 ** 53 + 2,
    -1e-320,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const OFFSETS = [
  'Z',
  '+00:00',
  '-00:00',
  '+15:59',
  '-15:59',
  '+16:00',
  '-16:00',
  '+23:59',
  '-23:59',
  '+05:30',
  '-09:30',
];

/** A timestamp within the edge's window, written in any offset RFC 3339 allows, 0–9 fraction digits (or a leap second). */
const timestampArb = fc
  .record({
    ago: fc.integer({ min: -5 * 60_000, max: 86_400_000 }),
    offset: fc.oneof(
      fc.constantFrom(...OFFSETS),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    ),
    digits: fc.integer({ min: 0, max: 9 }),
    fraction: fc.constantFrom('999999999', '000000000', '123456789', '500000000'),
    leap: fc.boolean(),
  })
  .map(({ ago, offset, digits, fraction, leap }) => {
    const minutes =
      offset === 'Z'
        ? 0
        : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
    const local = new Date(Date.now() - ago + minutes * 60_000).toISOString();
    const seconds = leap ? '60' : local.slice(17, 19);
    return `${local.slice(0, 17)}${seconds}${digits ? `.${fraction.slice(0, digits)}` : ''}${offset}`;
  });

/** Free-form JSON: deep (to the 32-level bound and past it) or wide. */
const freeArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyNumber,
    textArb(0, 8),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(textArb(1, 4), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const nested = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { [`k${i}`]: v } : [v];
  return v;
};
const extremeFreeArb = fc.oneof(
  freeArb,
  fc.integer({ min: 30, max: 34 }).map((d) => nested(d, 'leaf')),
  fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc
    .integer({ min: 1, max: 500 })
    .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
);

const mapKeyArb = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/);
const flatMapArb = fc.dictionary(mapKeyArb, fc.oneof(textArb(0, 40), anyNumber, fc.boolean()), {
  maxKeys: 64,
});

const eventArb = fc.record(
  {
    schema_version: fc.constantFrom('1.0', '1.9999', '1.42'),
    timestamp: timestampArb,
    operation: fc.constantFrom('chat', 'a', 'x'.repeat(64), 'embeddings.v2_0'),
    provider: fc.constantFrom('openai', 'aws.bedrock', 'z-'.repeat(32)),
    model: fc.oneof(textArb(1, 12), fc.constant('m'.repeat(256)), fc.constant('😀'.repeat(256))),
    status: fc.constantFrom('ok', 'error'),
    error: fc.record({ type: textArb(1, 10), message: textArb(0, 30) }),
    response_model: textArb(1, 8),
    duration_ms: tinyHuge(86_400_000),
    time_to_first_token_ms: tinyHuge(86_400_000),
    usage: fc.record(
      {
        input_tokens: fc.oneof(fc.constantFrom(0, 1, 1e12), fc.integer({ min: 0, max: 2 ** 31 })),
        output_tokens: fc.constantFrom(0, 1e12, 999_999_999_999),
        cache_read_input_tokens: fc.nat(),
        cache_creation_input_tokens: fc.nat(),
        reasoning_tokens: extremeFreeArb,
      },
      { requiredKeys: [] },
    ),
    cost_usd: tinyHuge(1_000_000),
    trace_id: fc.constantFrom('0'.repeat(32), 'f'.repeat(32)),
    span_id: fc.constantFrom('0'.repeat(16), 'abcdef0123456789'),
    session_id: textArb(1, 20),
    user_id: textArb(1, 20),
    environment: textArb(1, 10),
    finish_reasons: fc.array(textArb(1, 5), { maxLength: 16 }),
    attributes: flatMapArb,
    analysis: flatMapArb,
    sdk: fc.record({
      name: textArb(1, 5),
      version: textArb(1, 5),
      language: textArb(1, 5),
      runtime: extremeFreeArb,
    }),
    future_field: extremeFreeArb,
  },
  { requiredKeys: ['schema_version', 'timestamp', 'operation', 'provider', 'model', 'status'] },
);

/** JSON text of a string with every character escaped as \uXXXX (surrogates one by one), or as JSON.stringify writes it. */
function jsonString(s: string, escapeAll: boolean): string {
  if (!escapeAll) return JSON.stringify(s);
  let out = '"';
  for (let i = 0; i < s.length; i++) out += `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return `${out}"`;
}

/** JSON text of a value, strings escaped per `escapeAll`; keys in `dupes` are written twice (the first a decoy). */
function jsonText(v: unknown, escapeAll: boolean, dupes: ReadonlySet<string> = new Set()): string {
  if (typeof v === 'string') return jsonString(v, escapeAll);
  if (Array.isArray(v)) return `[${v.map((x) => jsonText(x, escapeAll)).join(',')}]`;
  if (v && typeof v === 'object') {
    const members = Object.entries(v).map(([k, x]) => {
      const member = `${jsonString(k, escapeAll)}:${jsonText(x, escapeAll)}`;
      return dupes.has(k) ? `${jsonString(k, false)}:{"decoy":[1,2]},${member}` : member;
    });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(v);
}

const batchArb = fc.array(
  fc.record({
    event: eventArb,
    escapeAll: fc.boolean(),
    dupes: fc.subarray(['model', 'usage', 'future_field', 'environment']),
  }),
  { minLength: 1, maxLength: 12 },
);

// ---- the property ------------------------------------------------------------------------------

describe('accepted ⇒ loadable', () => {
  it('every event the edge accepts is stored, none dead-lettered or quarantined', async () => {
    const tenant = await createTenant(system);
    const key = { keyId: tenant.keyId, orgId: tenant.orgId, projectId: tenant.projectId, prefix: 'prop' };
    let runs = 0;
    let acceptedTotal = 0;
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const run = ++runs;
        const events = batch.map((b, i) => ({ ...b, event: { ...b.event, event_id: `r${run}-${i}` } }));
        const body = `{"events":[${events.map((e) => jsonText(e.event, e.escapeAll, new Set(e.dupes))).join(',')}]}`;
        const receivedAt = Date.now();
        const decoded = await decodeBody(Buffer.from(body, 'utf8'), 'identity', false);
        const parsed = parseEventBatch(decoded.text, receivedAt, WINDOW);
        if (parsed.accepted.length === 0) return;
        acceptedTotal += parsed.accepted.length;
        const head = envelopeHead({
          key,
          receivedAt: new Date(receivedAt).toISOString(),
          edgeRegion: 'local',
          requestId: randomUUID(),
        });
        const records = packEnvelopes(head, parsed.accepted, decoded.ascii);
        const objectKey = `prop/${randomUUID()}.gz`;
        await writeGzipObject(root, BUCKET, objectKey, Buffer.concat(records).toString('utf8'));
        const result = await loadObject({ bucket: BUCKET, key: objectKey }, deps);
        const rejectedIds = new Set(parsed.rejected.map((r) => r.index));
        const acceptedIds = events.map((e) => e.event.event_id).filter((_, i) => !rejectedIds.has(i));
        expect({ ...result, acceptedIds: acceptedIds.length }).toMatchObject({
          lines: parsed.accepted.length,
          good: parsed.accepted.length,
          inserted: parsed.accepted.length,
          rejected: 0,
          quarantined: 0,
          acceptedIds: parsed.accepted.length,
        });
        const { rows } = await system.query<{ event_id: string; ts: Date; sent: string }>(
          "SELECT event_id, ts, event->>'timestamp' AS sent FROM telemetry_events WHERE project_id = $1 AND event_id = ANY($2)",
          [tenant.projectId, acceptedIds],
        );
        expect(rows.map((r) => r.event_id).sort()).toEqual([...acceptedIds].sort());
        // Stored at the instant that was sent (millisecond view; PostgreSQL keeps the microseconds).
        for (const r of rows) expect(r.ts.getTime()).toBe(Date.parse(r.sent));
      }),
      { numRuns: 60 },
    );
    // The generators must reach the loader, not only the edge's refusals.
    expect(acceptedTotal).toBeGreaterThan(100);
  });
});
