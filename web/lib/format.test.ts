// Formatting that users read: small costs, axis ticks that never wrap, dates on multi-day axes.
import { describe, expect, it } from 'vitest';
import { bucketLabel, formatCountShort, formatMsShort, formatUsd } from './format.ts';

describe('formatUsd', () => {
  it.each([
    [0, '$0'],
    [0.00004, '<\u00a0$0.0001'],
    [0.0001, '$0.0001'],
    [0.01234, '$0.0123'],
    [12.345, '$12.35'],
  ])('%s → %s', (n, text) => {
    expect(formatUsd(n)).toBe(text);
  });
});

describe('axis ticks', () => {
  it('stay short', () => {
    expect(formatMsShort(850)).toBe('850\u00a0ms');
    expect(formatMsShort(3000)).toBe('3.0\u00a0s');
    expect(formatMsShort(45_000)).toBe('45\u00a0s');
    expect(formatCountShort(1234)).toBe('1.2K');
  });

  it('carry the date when the range spans days', () => {
    expect(bucketLabel('2026-11-25T17:00:00.000Z', false)).toBe('17:00');
    expect(bucketLabel('2026-11-25T17:00:00.000Z', true)).toBe('Nov 25 17:00');
  });
});
