// Batch parsing: raw event text kept exactly, per-event issues, timestamp window, size and shape errors.
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../test/events.ts';
import { parseEventBatch } from './parse-batch.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const WINDOW = { maxFutureMs: 10 * 60_000, maxAgeMs: 30 * 86_400_000 };
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const parse = (text: string, maxEventBytes?: number) => parseEventBatch(text, NOW, WINDOW, maxEventBytes);

describe('parseEventBatch', () => {
  it('accepts the design example exactly as written and keeps its text byte for byte', () => {
    const text =
      '{"schema_version":"1.0","event_id":"01J9ZQ6W3K4T6V8X0A2C4E6G8J","timestamp":"2026-11-25T12:00:00.000Z",' +
      '"operation":"chat","provider":"openai","model":"gpt-4o-mini","status":"ok","duration_ms":812.5,' +
      '"usage":{"input_tokens":1200,"output_tokens":350},"cost_usd":0.00039,' +
      '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","environment":"production",' +
      '"attributes":{"route":"/chat","retry":false},"sdk":{"name":"llm_observer","version":"0.4.0","language":"python"}}';
    expect(parse(`{"events":[${text}]}`)).toEqual({ accepted: [text], rejected: [] });
  });

  it('reports every invalid event by index with paths, keeps the valid ones', () => {
    const good = sampleEvent({ timestamp: at(0) });
    const bad = sampleEvent({ timestamp: at(0), usage: { input_tokens: -1 }, model: 5 });
    const result = parse(JSON.stringify({ events: [good, bad, 'nope'] }));
    expect(result.accepted.map((t) => JSON.parse(t))).toEqual([good]);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(result.rejected[0]?.event_id).toBe(bad.event_id);
    const paths = result.rejected[0]?.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['usage.input_tokens', 'model']));
  });

  it('rejects timestamps too far in the future or older than the retention window, per event', () => {
    const events = [at(9 * 60_000), at(11 * 60_000), at(-29 * 86_400_000), at(-31 * 86_400_000)].map((t) =>
      sampleEvent({ timestamp: t }),
    );
    const result = parse(JSON.stringify({ events }));
    expect(result.accepted).toHaveLength(2);
    expect(result.rejected.map((r) => [r.index, r.errors[0]?.path])).toEqual([
      [1, 'timestamp'],
      [3, 'timestamp'],
    ]);
  });

  it('rejects events with reserved keys anywhere, even where the schema keeps unknown keys', () => {
    const text = JSON.stringify({ events: [sampleEvent({ timestamp: at(0) })] }).replace(
      '"sdk":',
      '"extra":{"__proto__":{"polluted":true}},"sdk":',
    );
    const result = parse(text);
    expect(result.accepted).toEqual([]);
    expect(result.rejected[0]?.index).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('turns line breaks between tokens into spaces so each event stays on one NDJSON line', () => {
    const event = sampleEvent({ timestamp: at(0) });
    const result = parse(JSON.stringify({ events: [event] }, null, 2));
    expect(result.accepted[0]).not.toMatch(/[\r\n]/);
    expect(JSON.parse(result.accepted[0] ?? '')).toEqual(event);
  });

  it('throws the right errors for non-JSON, non-batches and oversized events', () => {
    expect(() => parse('{"events":[')).toThrowError(expect.objectContaining({ code: 'invalid_json' }));
    expect(() => parse('[]')).toThrowError(expect.objectContaining({ code: 'invalid_batch' }));
    expect(() => parse('{"events":[]}')).toThrowError(expect.objectContaining({ code: 'invalid_batch' }));
    expect(() => parse(JSON.stringify({ events: new Array(1001).fill(1) }))).toThrowError(
      expect.objectContaining({ code: 'invalid_batch' }),
    );
    const big = JSON.stringify({ events: [sampleEvent({ timestamp: at(0), note: 'é'.repeat(600) })] });
    expect(() => parse(big, 1000)).toThrowError(expect.objectContaining({ code: 'payload_too_large' }));
  });
});
