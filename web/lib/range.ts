// Time ranges of the analytics pages: presets relative to now, or a fixed from/to for stable paging.
import type { Interval } from './api-types.ts';

/** Range presets offered as buttons, with the bucket width that keeps charts at 15–180 points. */
export const RANGE_PRESETS = {
  '15m': { label: '15 min', ms: 15 * 60_000, interval: '1m' },
  '1h': { label: '1 hour', ms: 3_600_000, interval: '1m' },
  '6h': { label: '6 hours', ms: 6 * 3_600_000, interval: '5m' },
  '24h': { label: '24 hours', ms: 24 * 3_600_000, interval: '15m' },
  '7d': { label: '7 days', ms: 7 * 24 * 3_600_000, interval: '1h' },
} as const satisfies Record<string, { label: string; ms: number; interval: Interval }>;

export type RangePreset = keyof typeof RANGE_PRESETS;

/** A resolved range: ISO bounds for the API. */
export interface ResolvedRange {
  preset: RangePreset;
  from: string;
  to: string;
  interval: Interval;
}

/** The preset named in a query parameter, `1h` for anything else. */
export function rangePreset(value: string | undefined): RangePreset {
  return value !== undefined && Object.hasOwn(RANGE_PRESETS, value) ? (value as RangePreset) : '1h';
}

/** The bounds of a preset ending now; `to` is a minute ahead so events stamped this minute are included. */
export function resolveRange(value: string | undefined, now: Date): ResolvedRange {
  const preset = rangePreset(value);
  const { ms, interval } = RANGE_PRESETS[preset];
  return {
    preset,
    from: new Date(now.getTime() - ms).toISOString(),
    to: new Date(now.getTime() + 60_000).toISOString(),
    interval,
  };
}
