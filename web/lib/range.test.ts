// Range presets of the analytics pages.
import { describe, expect, it } from 'vitest';
import { resolveRange } from './range.ts';

const NOW = new Date('2026-11-25T12:00:30.000Z');

describe('resolveRange', () => {
  it('ends where the current bucket ends and spans the preset length', () => {
    expect(resolveRange('6h', NOW)).toEqual({
      preset: '6h',
      from: '2026-11-25T06:05:00.000Z',
      to: '2026-11-25T12:05:00.000Z',
      interval: '5m',
      partialFrom: '2026-11-25T12:00:00.000Z',
      multiDay: false,
    });
  });

  it('shows the same buckets on every reload within a bucket, and moves one bucket at a time', () => {
    const a = resolveRange('15m', new Date('2026-11-25T16:11:01.000Z'));
    const b = resolveRange('15m', new Date('2026-11-25T16:11:59.999Z'));
    const c = resolveRange('15m', new Date('2026-11-25T16:12:00.000Z'));
    expect(b).toEqual(a);
    expect(Date.parse(c.from) - Date.parse(a.from)).toBe(60_000);
    expect(Date.parse(c.to) - Date.parse(a.to)).toBe(60_000);
  });

  it('marks ranges that cross midnight (UTC) as multi-day', () => {
    expect(resolveRange('24h', NOW).multiDay).toBe(true);
    expect(resolveRange('7d', NOW).multiDay).toBe(true);
    expect(resolveRange('1h', NOW).multiDay).toBe(false);
    expect(resolveRange('1h', new Date('2026-11-25T00:20:00.000Z')).multiDay).toBe(true);
  });

  it.each([undefined, '', 'forever', 'toString', '__proto__'])('falls back to one hour for %s', (value) => {
    expect(resolveRange(value, NOW).preset).toBe('1h');
  });

  it('keeps every preset within the API limits (at most 31 days, at most 1500 points)', () => {
    const minutes = { '1m': 1, '5m': 5, '15m': 15, '1h': 60, '6h': 360, '1d': 1440 } as const;
    for (const preset of ['15m', '1h', '6h', '24h', '7d']) {
      const r = resolveRange(preset, NOW);
      const spanMinutes = (Date.parse(r.to) - Date.parse(r.from)) / 60_000;
      expect(spanMinutes).toBeLessThanOrEqual(31 * 24 * 60);
      expect(spanMinutes / minutes[r.interval]).toBeLessThanOrEqual(1500);
    }
  });
});
