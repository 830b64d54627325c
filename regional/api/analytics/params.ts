// Analytics query parameters: time range, interval, breakdown dimension, explorer filters — each with a named 400.
import { BadRequestError } from '../errors.ts';
import { enumParam, instantParam, type QueryDecl, requiredEnumParam, uuidParam } from '../query.ts';

const MINUTE_MS = 60_000;
/** Longest range any analytics route accepts unless configured otherwise. */
export const DEFAULT_MAX_RANGE_DAYS = 31;
/** Most points a timeseries answer may have. */
export const MAX_POINTS = 1_500;

/** A resolved time range: whole UTC minutes [from, to), `to` rounded up so the current minute counts. */
export type { TimeRange } from '../../rollups/minutes.ts';

import type { TimeRange } from '../../rollups/minutes.ts';

/** Parameters every analytics route takes: the project filter and the time range. */
export const RANGE_QUERY = {
  project_id: uuidParam('invalid_project_id'),
  from: instantParam('invalid_range'),
  to: instantParam('invalid_range'),
} satisfies QueryDecl;

/**
 * Resolves parsed `from`/`to` (default: the last 24 h up to `now`). 400 `invalid_range` when empty,
 * 400 `range_too_large` past `maxDays`.
 */
export function resolveRange(query: { from?: Date; to?: Date }, now: Date, maxDays: number): TimeRange {
  const toRaw = query.to ?? now;
  const fromRaw = query.from ?? new Date(toRaw.getTime() - 24 * 3_600_000);
  const from = new Date(Math.floor(fromRaw.getTime() / MINUTE_MS) * MINUTE_MS);
  const to = new Date(Math.ceil(toRaw.getTime() / MINUTE_MS) * MINUTE_MS);
  if (!(fromRaw.getTime() < toRaw.getTime())) {
    throw new BadRequestError('invalid_range', 'from must be before to', { parameter: 'from' });
  }
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) {
    throw new BadRequestError('range_too_large', `the range may span at most ${maxDays} days`, {
      parameter: 'from',
    });
  }
  return { from, to };
}

/** Supported timeseries intervals and their length in minutes. */
export const INTERVALS = { '1m': 1, '5m': 5, '15m': 15, '1h': 60, '6h': 360, '1d': 1440 } as const;
export type Interval = keyof typeof INTERVALS;

/** `interval` for timeseries (optional: `resolveInterval` picks one). */
export const INTERVAL_PARAM = enumParam(
  Object.keys(INTERVALS) as [Interval, ...Interval[]],
  'invalid_interval',
);

/** The requested interval (400 `invalid_interval` if it gives too many points) or the finest with ≤ 300 points. */
export function resolveInterval(requested: Interval | undefined, range: TimeRange): Interval {
  const minutes = (range.to.getTime() - range.from.getTime()) / MINUTE_MS;
  if (requested === undefined) {
    const auto = (Object.keys(INTERVALS) as Interval[]).find((k) => minutes / INTERVALS[k] <= 300);
    return auto ?? '1d';
  }
  if (minutes / INTERVALS[requested] > MAX_POINTS) {
    throw new BadRequestError(
      'invalid_interval',
      `interval ${requested} gives more than ${MAX_POINTS} points`,
      { parameter: 'interval' },
    );
  }
  return requested;
}

/** Breakdown dimensions mapped to their (fixed, trusted) rollup column names. */
export const DIMENSIONS = {
  model: 'model',
  provider: 'provider',
  operation: 'operation',
  status: 'status',
  environment: 'environment',
  // Only raw events have it: breakdowns by error type read the failed events of the range.
  error_type: 'error_type',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

/** `by` for breakdowns (required). */
export const BY_PARAM = requiredEnumParam(
  Object.keys(DIMENSIONS) as [Dimension, ...Dimension[]],
  'invalid_by',
);
