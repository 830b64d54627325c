// Unit tests of validateEvent: the reference example event, issue paths, and inputs that must not throw.
import { describe, expect, it } from 'vitest';
import { validateEvent } from './event-v1.ts';

/** The reference example event (contract/fixtures/valid/design-example.json). */
const DESIGN_EXAMPLE =
  JSON.parse(`{"schema_version":"1.0","event_id":"01J9ZQ6W3K4T6V8X0A2C4E6G8J","timestamp":"2026-11-25T12:00:00.000Z",
 "operation":"chat","provider":"openai","model":"gpt-4o-mini","status":"ok","duration_ms":812.5,
 "usage":{"input_tokens":1200,"output_tokens":350},"cost_usd":0.00039,
 "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","environment":"production",
 "attributes":{"route":"/chat","retry":false},"sdk":{"name":"llm_observer","version":"0.4.0","language":"python"}}`);

describe('validateEvent', () => {
  it('accepts the design example as written and returns it unchanged', () => {
    const result = validateEvent(DESIGN_EXAMPLE);
    expect(result).toEqual({ ok: true, event: DESIGN_EXAMPLE });
  });

  it('keeps unknown fields from newer minors', () => {
    const result = validateEvent({ ...DESIGN_EXAMPLE, schema_version: '1.7', future_field: { x: [1] } });
    expect(result.ok && result.event.future_field).toEqual({ x: [1] });
  });

  it('reports every problem with a dotted path', () => {
    const result = validateEvent({
      ...DESIGN_EXAMPLE,
      timestamp: '2026-13-01T00:00:00Z',
      usage: { input_tokens: -1 },
      finish_reasons: ['stop', ''],
      status: 'error',
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(['timestamp', 'usage.input_tokens', 'finish_reasons.1', 'error']);
  });

  it('reports the root for non-objects and reserved keys by their path', () => {
    for (const input of [null, [], 'x', 1, undefined]) {
      expect(validateEvent(input)).toEqual({
        ok: false,
        issues: [{ path: '', message: 'must be an object' }],
      });
    }
    const proto = validateEvent(JSON.parse('{"attributes":{"__proto__":"x"}}'));
    expect(proto.ok ? [] : proto.issues.map((i) => i.path)).toContain('attributes.__proto__');
  });

  it('never throws, even on a throwing getter or a deep structure', () => {
    const hostile = {
      ...DESIGN_EXAMPLE,
      get model(): string {
        throw new Error('boom');
      },
    };
    expect(validateEvent(hostile).ok).toBe(false);
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    // PostgreSQL cannot store it (stack depth limit), so it is refused, at the first level past the bound.
    expect(validateEvent({ ...DESIGN_EXAMPLE, extra: deep })).toEqual({
      ok: false,
      issues: [
        { path: `extra${'.a'.repeat(32)}`, message: 'must nest at most 32 levels of arrays and objects' },
      ],
    });
    expect(validateEvent(deep).ok).toBe(false);
  });

  it('allows unknown fields 32 levels deep and refuses 33, at every level that keeps unknown fields', () => {
    const nest = (n: number): unknown => {
      let x: unknown = 1;
      for (let i = 0; i < n; i++) x = i % 2 ? { k: x } : [x];
      return x;
    };
    for (const at of ['', 'usage', 'error', 'sdk']) {
      const event: Record<string, unknown> = structuredClone({
        ...DESIGN_EXAMPLE,
        error: { type: 't', message: 'm' },
      });
      const host = (at === '' ? event : event[at]) as Record<string, unknown>;
      host.extra = nest(32);
      expect(validateEvent(event).ok).toBe(true);
      host.extra = nest(33);
      const result = validateEvent(event);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.issues.map((i) => i.path.split('.').length)).toEqual([
        (at === '' ? 1 : 2) + 32,
      ]);
    }
  });
});
