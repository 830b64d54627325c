// Dimension filters: parsing (named 400s) and the SQL they produce (fixed column names, values only as parameters).
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.ts';
import {
  eventCondition,
  hasFilters,
  needsEvents,
  parseFilters,
  rollupCondition,
  tierAttribute,
} from './filters.ts';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof BadRequestError ? e.code : String(e);
  }
  return undefined;
}

describe('parseFilters', () => {
  it('reads every dimension, lower-cases status and trace id, and collects attr.<key> pairs', () => {
    const f = parseFilters({
      model: 'GPT-4o',
      provider: 'OpenAI',
      status: 'ERROR',
      environment: 'prod',
      user_id: 'U1',
      session_id: 's',
      trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736',
      error_type: 'RateLimitError',
      'attr.http.route': '/chat',
      'attr.retry': 'false',
      limit: '10',
    });
    expect(f).toEqual({
      model: 'GPT-4o',
      provider: 'OpenAI',
      status: 'error',
      environment: 'prod',
      user_id: 'U1',
      session_id: 's',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      error_type: 'RateLimitError',
      attrs: [
        ['http.route', '/chat'],
        ['retry', 'false'],
      ],
    });
    expect(needsEvents(f)).toBe(true);
    expect(parseFilters({ model: '' })).toEqual({ attrs: [] });
  });

  it('names bad values', () => {
    expect(code(() => parseFilters({ status: 'maybe' }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ model: 'x'.repeat(257) }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ trace_id: 'abc' }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ 'attr.': 'x' }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ 'attr.a b': 'x' }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ 'attr.k': ['a', 'b'] }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ 'attr.k': 'a\u0000' }))).toBe('invalid_filter');
    expect(code(() => parseFilters({ provider: 'open ai' }))).toBe('invalid_filter');
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`attr.k${i}`, 'v']));
    expect(code(() => parseFilters(six))).toBe('invalid_filter');
  });

  it('tells rollup-answerable filters from raw-event ones', () => {
    const rollup = parseFilters({ model: 'm', status: 'ok' });
    expect(hasFilters(rollup)).toBe(true);
    expect(needsEvents(rollup)).toBe(false);
    expect(hasFilters(parseFilters({}))).toBe(false);
    expect(needsEvents(parseFilters({ 'attr.route': '/x' }))).toBe(true);
  });
});

describe('conditions', () => {
  it('numbers parameters from the given position and never inlines values', () => {
    const f = parseFilters({ model: "x' OR 1=1 --", user_id: 'u', 'attr.route': '/chat' });
    const c = eventCondition(f, 5);
    expect(c.sql).toBe(
      " AND lower(model) = lower($5::text) AND user_id = $6::text AND (event -> 'attributes' ->> $7::text) = $8::text",
    );
    expect(c.params).toEqual(["x' OR 1=1 --", 'u', 'route', '/chat']);
    expect(rollupCondition(parseFilters({ provider: 'OpenAI', status: 'ok' }), 3)).toEqual({
      sql: ' AND provider = $3::text AND status = $4::text',
      params: ['openai', 'ok'],
    });
    expect(eventCondition(parseFilters({}), 1)).toEqual({ sql: '', params: [] });
  });
});

describe('tierAttribute', () => {
  it('is the one attribute filter when no other raw-event filter is set, null otherwise', () => {
    expect(tierAttribute(parseFilters({ 'attr.route': '/chat', model: 'gpt-4o', status: 'ok' }))).toEqual([
      'route',
      '/chat',
    ]);
    expect(tierAttribute(parseFilters({ model: 'gpt-4o' }))).toBeNull();
    expect(tierAttribute(parseFilters({ 'attr.route': '/chat', 'attr.retry': 'true' }))).toBeNull();
    for (const other of ['user_id', 'session_id', 'error_type']) {
      expect(tierAttribute(parseFilters({ 'attr.route': '/chat', [other]: 'x' })), other).toBeNull();
    }
    expect(
      tierAttribute(parseFilters({ 'attr.route': '/chat', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' })),
    ).toBeNull();
  });
});
