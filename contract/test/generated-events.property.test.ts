// Property tests: the JSON Schema, the valibot schema and the fast path agree on generated events; no input throws.
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../src/event-v1.ts';
import { isValidEventFast } from '../src/event-v1-fast.ts';
import { TelemetryEventV1Schema } from '../src/event-v1-schema.ts';
import {
  eventArb,
  mutatedEventArb,
  singleFieldEventArb,
  timestampArb,
  validishEventArb,
} from './arbitraries.ts';
import { compileEventSchema } from './json-schema.ts';

const ajv = compileEventSchema();

/** Asserts the three definitions give one verdict, and that every valibot path is one ajv also names. */
function assertSameVerdict(input: unknown): void {
  // Round-trip through JSON: the contract is about JSON documents, and ajv should see exactly those.
  const json = JSON.parse(JSON.stringify(input)) as unknown;
  const schema = ajv(json);
  const parsed = v.safeParse(TelemetryEventV1Schema, json);
  expect(isValidEventFast(json)).toBe(parsed.success);
  expect(parsed.success).toBe(schema.ok);
  const result = validateEvent(json);
  expect(result.ok).toBe(schema.ok);
  if (!result.ok) {
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) {
      expect(schema.paths).toContain(issue.path);
      expect(issue.message).toMatch(/^(must|is|reserved)/);
    }
  }
}

describe('generated events', () => {
  it('one field near its bound, on an otherwise valid event: same verdict from ajv, valibot and the fast path', () => {
    fc.assert(fc.property(singleFieldEventArb, assertSameVerdict), { numRuns: 2000 });
  }, 60_000);

  it('many doubtful fields at once: same verdict and compatible paths', () => {
    fc.assert(fc.property(eventArb, assertSameVerdict), { numRuns: 500 });
  }, 60_000);

  it('mostly-valid events are accepted, and one mutated field gets the same verdict everywhere', () => {
    fc.assert(
      fc.property(validishEventArb, (event) => {
        expect(validateEvent(event)).toEqual({ ok: true, event });
        assertSameVerdict(event);
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(mutatedEventArb, assertSameVerdict), { numRuns: 800 });
  }, 60_000);

  it('timestamps: the calendar and syntax checks match ajv-formats date-time plus the pattern', () => {
    fc.assert(
      fc.property(validishEventArb, timestampArb, (event, timestamp) =>
        assertSameVerdict({ ...event, timestamp }),
      ),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('arbitrary JSON values, at the top level or in any field, get the same verdict', () => {
    fc.assert(fc.property(fc.jsonValue(), assertSameVerdict), { numRuns: 500 });
    fc.assert(
      fc.property(validishEventArb, fc.jsonValue({ maxDepth: 3 }), fc.string(), (event, value, key) =>
        assertSameVerdict({ ...event, [key]: value, attributes: { [key]: value } }),
      ),
      { numRuns: 500 },
    );
  }, 60_000);

  it('validateEvent never throws on anything, including non-JSON values and odd prototypes', () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    } as fc.ObjectConstraints);
    fc.assert(
      fc.property(anything, (input) => {
        const result = validateEvent(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 250 },
    );
    const fields = ['model', 'usage', 'attributes', 'error', 'sdk', 'finish_reasons', 'status', 'timestamp'];
    fc.assert(
      fc.property(validishEventArb, fc.constantFrom(...fields), anything, (event, key, value) => {
        const result = validateEvent({ ...event, [key]: value });
        if (!result.ok) for (const issue of result.issues) expect(typeof issue.path).toBe('string');
      }),
      { numRuns: 250 },
    );
    for (const odd of [NaN, Infinity, -Infinity, 10n, Symbol('s'), () => 1, new Date(), new Map()]) {
      expect(validateEvent(odd).ok).toBe(false);
      expect(validateEvent({ ...DESIGN_LIKE, duration_ms: odd }).ok).toBe(false);
    }
  }, 60_000);
});

const DESIGN_LIKE = {
  schema_version: '1.0',
  event_id: 'e1',
  timestamp: '2026-11-25T12:00:00Z',
  operation: 'chat',
  provider: 'openai',
  model: 'm',
  status: 'ok',
};
