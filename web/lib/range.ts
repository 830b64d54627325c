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

/** Bucket width of each interval in milliseconds. */
export const INTERVAL_MS: Record<Interval, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '6h': 21_600_000,
  '1d': 86_400_000,
};

/** A resolved range: ISO bounds for the API. */
export interface ResolvedRange {
  preset: RangePreset;
  from: string;
  to: string;
  interval: Interval;
  /** Start of the bucket that contains now: the last bucket, still filling. */
  partialFrom: string;
  /** Whether the range crosses a UTC day boundary (axis labels then carry the date). */
  multiDay: boolean;
}

/** The preset named in a query parameter, `1h` for anything else. */
export function rangePreset(value: string | undefined): RangePreset {
  return value !== undefined && Object.hasOwn(RANGE_PRESETS, value) ? (value as RangePreset) : '1h';
}

/**
 * The bounds of a preset ending now, aligned to its buckets: the range ends where the current bucket
 * ends and starts the preset's length before that. Each reload within a bucket shows the same buckets,
 * and the window moves one bucket at a time (no jump between reloads); the last bucket is partial.
 */
export function resolveRange(value: string | undefined, now: Date): ResolvedRange {
  const preset = rangePreset(value);
  const { ms, interval } = RANGE_PRESETS[preset];
  const step = INTERVAL_MS[interval];
  const current = Math.floor(now.getTime() / step) * step;
  const to = current + step;
  const from = to - ms;
  return {
    preset,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    interval,
    partialFrom: new Date(current).toISOString(),
    multiDay: new Date(from).toISOString().slice(0, 10) !== new Date(to - 1).toISOString().slice(0, 10),
  };
}
