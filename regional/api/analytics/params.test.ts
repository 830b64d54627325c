// Analytics parameter parsing: defaults, rounding to whole minutes, and the named 400s.
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.ts';
import { parseQuery } from '../query.ts';
import { FILTER_QUERY } from './filters.ts';
import { BY_PARAM, INTERVAL_PARAM, RANGE_QUERY, resolveInterval, resolveRange } from './params.ts';

const NOW = new Date('2026-11-25T12:34:56.789Z');
const failure = (fn: () => unknown): { code: string; parameter?: string } | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof BadRequestError
      ? { code: error.code, ...(error.parameter ? { parameter: error.parameter } : {}) }
      : { code: 'not a BadRequestError' };
  }
};
const code = (fn: () => unknown): string | undefined => failure(fn)?.code;
const range = (query: Record<string, unknown>) => resolveRange(parseQuery(RANGE_QUERY, query), NOW, 31);

describe('analytics parameters', () => {
  it('defaults to the last 24 h in whole minutes, the current minute included', () => {
    const r = range({});
    expect(r.to.toISOString()).toBe('2026-11-25T12:35:00.000Z');
    expect(r.from.toISOString()).toBe('2026-11-24T12:34:00.000Z');
  });

  it('names every bad range', () => {
    expect(failure(() => range({ from: 'yesterday' }))).toEqual({ code: 'invalid_range', parameter: 'from' });
    expect(code(() => range({ from: '2026-11-25T12:00:00Z', to: '2026-11-25T11:00:00Z' }))).toBe(
      'invalid_range',
    );
    expect(code(() => range({ from: '2026-11-25T12:00:00Z', to: '2026-11-25T12:00:00Z' }))).toBe(
      'invalid_range',
    );
    expect(code(() => range({ from: '2026-02-30T00:00:00Z' }))).toBe('invalid_range');
    expect(failure(() => range({ to: '+275760-09-13T00:00:00.000Z' }))).toEqual({
      code: 'invalid_range',
      parameter: 'to',
    });
    expect(code(() => range({ from: '0000-01-01T00:00:00Z', to: '0000-01-02T00:00:00Z' }))).toBe(
      'invalid_range',
    );
    expect(code(() => range({ from: '2026-09-01T00:00:00Z' }))).toBe('range_too_large');
    expect(code(() => range({ from: '2026-10-25T12:35:00Z' }))).toBeUndefined();
    expect(code(() => range({ from: '2026-11-25T12:35Z' }))).toBe('invalid_range');
    expect(code(() => range({ from: '2026-11-25T12:00Z' }))).toBeUndefined();
  });

  it('picks an interval with at most 300 points, and refuses unknown or too fine ones', () => {
    const day = range({});
    const interval = (raw: unknown) => parseQuery({ interval: INTERVAL_PARAM }, { interval: raw }).interval;
    expect(resolveInterval(interval(undefined), day)).toBe('5m');
    expect(resolveInterval(undefined, range({ from: '2026-11-25T10:00:00Z' }))).toBe('1m');
    expect(resolveInterval(undefined, range({ from: '2026-10-26T00:00:00Z' }))).toBe('6h');
    expect(failure(() => interval('7m'))).toEqual({ code: 'invalid_interval', parameter: 'interval' });
    expect(code(() => interval(['1h']))).toBe('invalid_interval');
    expect(code(() => resolveInterval('1m', range({ from: '2026-11-20T00:00:00Z' })))).toBe(
      'invalid_interval',
    );
  });

  it('names bad by, project_id and filter values', () => {
    const by = (raw: unknown) => parseQuery({ by: BY_PARAM }, { by: raw }).by;
    expect(by('model')).toBe('model');
    expect(code(() => by('user_id'))).toBe('invalid_by');
    expect(code(() => by('__proto__'))).toBe('invalid_by');
    expect(code(() => by(undefined))).toBe('invalid_by');
    expect(parseQuery(RANGE_QUERY, {}).project_id).toBeUndefined();
    expect(failure(() => parseQuery(RANGE_QUERY, { project_id: '1; DROP TABLE projects' }))).toEqual({
      code: 'invalid_project_id',
      parameter: 'project_id',
    });
    expect(failure(() => parseQuery(FILTER_QUERY, { status: 'maybe' }))).toEqual({
      code: 'invalid_filter',
      parameter: 'status',
    });
    for (const name of [
      'model',
      'provider',
      'operation',
      'environment',
      'user_id',
      'session_id',
      'error_type',
    ]) {
      expect(failure(() => parseQuery(FILTER_QUERY, { [name]: '\u0000' }))).toEqual({
        code: 'invalid_filter',
        parameter: name,
      });
    }
    expect(parseQuery(FILTER_QUERY, { model: 'gpt-4o mini\t(β)', provider: 'openai' })).toMatchObject({
      model: 'gpt-4o mini\t(β)',
      provider: 'openai',
    });
  });
});
