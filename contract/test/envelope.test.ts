// Envelope v1 and the batch request: validateEnvelope agrees with envelope_v1.json, paths are event.-prefixed.
import { describe, expect, it } from 'vitest';
import { toNdjsonLine, validateEnvelope } from '../src/envelope.ts';
import { MAX_EVENTS_PER_BATCH, parseBatch } from '../src/ingest.ts';
import { createAjv, readContractJson } from './json-schema.ts';

const event = (readContractJson('fixtures/valid/design-example.json') as { event: Record<string, unknown> })
  .event;
const envelope = {
  v: 1,
  org_id: '0193a3f2-7c1e-7b7a-9d2e-3f4a5b6c7d8e',
  project_id: '0193a3f2-7c1e-7b7a-9d2e-3f4a5b6c7d8f',
  key_id: '0193a3f2-7c1e-7b7a-9d2e-3f4a5b6c7d90',
  received_at: '2026-11-25T12:00:01.234Z',
  edge_region: 'eu-west-1',
  request_id: 'req-1',
  event,
};

const ajv = createAjv();
ajv.addSchema(readContractJson('telemetry_event_v1.json') as object);
const envelopeSchema = ajv.compile(readContractJson('envelope_v1.json') as object);
const batchSchema = ajv.compile(readContractJson('ingest_batch_v1.json') as object);

describe('validateEnvelope', () => {
  it('accepts a well-formed envelope, as the JSON Schema does', () => {
    expect(validateEnvelope(envelope)).toEqual({ ok: true, envelope, event });
    expect(envelopeSchema(envelope)).toBe(true);
  });

  it.each([
    ['v', { v: 2 }],
    ['org_id', { org_id: 'org-1' }],
    ['key_id', { key_id: undefined }],
    ['received_at', { received_at: '2026-02-30T00:00:00Z' }],
    ['edge_region', { edge_region: '' }],
    ['request_id', { request_id: 'r'.repeat(129) }],
    ['event.usage.input_tokens', { event: { ...event, usage: { input_tokens: -1 } } }],
    ['event', { event: 'x' }],
    ['constructor', { constructor: 1 }],
  ])('reports %s, and the JSON Schema rejects it too', (path, change) => {
    const input = JSON.parse(JSON.stringify({ ...envelope, ...change }));
    const result = validateEnvelope(input);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([path]);
    expect(envelopeSchema(input)).toBe(false);
  });

  it('never throws and serializes to one newline-terminated line', () => {
    for (const input of [null, 1, [], { v: 1, event: null }, JSON.parse('{"__proto__":1}')]) {
      expect(validateEnvelope(input).ok).toBe(false);
    }
    const line = toNdjsonLine(envelope as Parameters<typeof toNdjsonLine>[0]);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual(envelope);
  });
});

describe('parseBatch', () => {
  it('accepts 1 to MAX_EVENTS_PER_BATCH events, like ingest_batch_v1.json', () => {
    for (const n of [1, MAX_EVENTS_PER_BATCH]) {
      const body = { events: Array.from({ length: n }, () => event) };
      expect(parseBatch(body).ok).toBe(true);
      expect(batchSchema(body)).toBe(true);
    }
  });

  it.each([
    null,
    [],
    {},
    { events: {} },
    { events: [] },
    { events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => ({})) },
  ])('rejects %j as a batch', (body) => {
    const result = parseBatch(body);
    expect(result.ok).toBe(false);
    expect(batchSchema(body)).toBe(false);
  });
});
