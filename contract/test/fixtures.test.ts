// Golden fixtures: the JSON Schema (ajv) and validateEvent accept and reject exactly the same events.
import { readdirSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { TelemetryEventV1Schema, validateEvent } from '../src/event-v1.ts';
import { compileEventSchema, readContractJson } from './json-schema.ts';

type ValidFixture = { description: string; event: unknown };
type InvalidFixture = ValidFixture & { expect_path: string };

const load = <T>(kind: 'valid' | 'invalid'): Array<[string, T]> =>
  readdirSync(new URL(`../fixtures/${kind}/`, import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, readContractJson(`fixtures/${kind}/${f}`) as T]);

const valid = load<ValidFixture>('valid');
const invalid = load<InvalidFixture>('invalid');
const ajv = compileEventSchema();

describe('golden fixtures', () => {
  it('exist in both kinds', () => {
    expect(valid.length).toBeGreaterThanOrEqual(10);
    expect(invalid.length).toBeGreaterThanOrEqual(50);
  });

  it.each(valid)('valid/%s is accepted by ajv, the valibot schema and validateEvent', (_name, fixture) => {
    expect(ajv(fixture.event)).toEqual({ ok: true, paths: [] });
    expect(v.safeParse(TelemetryEventV1Schema, fixture.event).success).toBe(true);
    expect(validateEvent(fixture.event)).toEqual({ ok: true, event: fixture.event });
  });

  it.each(invalid)('invalid/%s is rejected by both, naming the expected path', (_name, fixture) => {
    const schema = ajv(fixture.event);
    expect(schema.ok).toBe(false);
    expect(schema.paths).toContain(fixture.expect_path);
    const result = validateEvent(fixture.event);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toContain(fixture.expect_path);
    // One fixture, one broken constraint: nothing else may be reported.
    expect(new Set(paths)).toEqual(new Set([fixture.expect_path]));
    for (const issue of result.ok ? [] : result.issues) {
      // Our own short messages, never valibot's defaults (which echo the offending value back).
      expect(issue.message).toMatch(/^(must|is|reserved|could)/);
    }
  });

  it('the released schema still accepts every valid fixture', () => {
    const released = compileEventSchema('released/telemetry_event_v1.json');
    for (const [, fixture] of valid) expect(released(fixture.event).ok).toBe(true);
  });
});
