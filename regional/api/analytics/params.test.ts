// Analytics parameter parsing: defaults, rounding to whole minutes, and the named 400s.
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.ts';
import { parseBy, parseInterval, parseProjectId, parseRange, parseStatus } from './params.ts';

const NOW = new Date('2026-11-25T12:34:56.789Z');
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof BadRequestError ? error.code : 'not a BadRequestError';
  }
};

describe('analytics parameters', () => {
  it('defaults to the last 24 h in whole minutes, the current minute included', () => {
    const r = parseRange({}, NOW, 31);
    expect(r.to.toISOString()).toBe('2026-11-25T12:35:00.000Z');
    expect(r.from.toISOString()).toBe('2026-11-24T12:34:00.000Z');
  });

  it('names every bad range', () => {
    expect(code(() => parseRange({ from: 'yesterday' }, NOW, 31))).toBe('invalid_range');
    expect(
      code(() => parseRange({ from: '2026-11-25T12:00:00Z', to: '2026-11-25T11:00:00Z' }, NOW, 31)),
    ).toBe('invalid_range');
    expect(
      code(() => parseRange({ from: '2026-11-25T12:00:00Z', to: '2026-11-25T12:00:00Z' }, NOW, 31)),
    ).toBe('invalid_range');
    expect(code(() => parseRange({ from: '2026-02-30T00:00:00Z' }, NOW, 31))).toBe('invalid_range');
    expect(code(() => parseRange({ from: '2026-09-01T00:00:00Z' }, NOW, 31))).toBe('range_too_large');
    expect(code(() => parseRange({ from: '2026-10-25T12:35:00Z' }, NOW, 31))).toBeUndefined();
  });

  it('picks an interval with at most 300 points, and refuses unknown or too fine ones', () => {
    const day = parseRange({}, NOW, 31);
    expect(parseInterval(undefined, day)).toBe('5m');
    expect(parseInterval(undefined, parseRange({ from: '2026-11-25T10:00:00Z' }, NOW, 31))).toBe('1m');
    expect(parseInterval(undefined, parseRange({ from: '2026-10-26T00:00:00Z' }, NOW, 31))).toBe('6h');
    expect(code(() => parseInterval('7m', day))).toBe('invalid_interval');
    expect(code(() => parseInterval(['1h'], day))).toBe('invalid_interval');
    expect(code(() => parseInterval('1m', parseRange({ from: '2026-11-20T00:00:00Z' }, NOW, 31)))).toBe(
      'invalid_interval',
    );
  });

  it('names bad by, project_id and status values', () => {
    expect(parseBy('model')).toBe('model');
    expect(code(() => parseBy('user_id'))).toBe('invalid_by');
    expect(code(() => parseBy('__proto__'))).toBe('invalid_by');
    expect(code(() => parseBy(undefined))).toBe('invalid_by');
    expect(parseProjectId(undefined)).toBeUndefined();
    expect(code(() => parseProjectId('1; DROP TABLE projects'))).toBe('invalid_project_id');
    expect(code(() => parseStatus('maybe'))).toBe('invalid_filter');
  });
});
