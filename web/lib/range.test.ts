// Range presets of the analytics pages.
import { describe, expect, it } from 'vitest';
import { resolveRange } from './range.ts';

const NOW = new Date('2026-11-25T12:00:30.000Z');

describe('resolveRange', () => {
  it('ends a minute after now and starts the preset length before now', () => {
    expect(resolveRange('6h', NOW)).toEqual({
      preset: '6h',
      from: '2026-11-25T06:00:30.000Z',
      to: '2026-11-25T12:01:30.000Z',
      interval: '5m',
    });
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
