// Analytics query parameters: time range, interval, breakdown dimension, explorer filters — each with a named 400.
import * as v from 'valibot';
import { BadRequestError } from '../errors.ts';
import { isUuid } from '../ids.ts';

const MINUTE_MS = 60_000;
/** Longest range any analytics route accepts unless configured otherwise. */
export const DEFAULT_MAX_RANGE_DAYS = 31;
/** Most points a timeseries answer may have. */
export const MAX_POINTS = 1_500;

/** A resolved time range: whole UTC minutes [from, to), `to` rounded up so the current minute counts. */
export type TimeRange = { from: Date; to: Date };

const Rfc3339 = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i),
  // JavaScript rolls 2026-02-30 over into March; a real calendar date must survive the round trip.
  v.check((s) => {
    const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d && m >= 1 && m <= 12;
  }),
  v.transform((s) => new Date(s)),
  v.check((d) => !Number.isNaN(d.getTime())),
);

function instant(raw: unknown, name: string): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const r = v.safeParse(Rfc3339, raw);
  if (!r.success) throw new BadRequestError('invalid_range', `${name} must be an RFC 3339 timestamp`);
  return r.output;
}

/**
 * Parses `from`/`to` (default: the last 24 h up to `now`). 400 `invalid_range` when unparseable or
 * empty, 400 `range_too_large` past `maxDays`.
 */
export function parseRange(query: { from?: unknown; to?: unknown }, now: Date, maxDays: number): TimeRange {
  const toRaw = instant(query.to, 'to') ?? now;
  const fromRaw = instant(query.from, 'from') ?? new Date(toRaw.getTime() - 24 * 3_600_000);
  const from = new Date(Math.floor(fromRaw.getTime() / MINUTE_MS) * MINUTE_MS);
  const to = new Date(Math.ceil(toRaw.getTime() / MINUTE_MS) * MINUTE_MS);
  if (!(fromRaw.getTime() < toRaw.getTime())) {
    throw new BadRequestError('invalid_range', 'from must be before to');
  }
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) {
    throw new BadRequestError('range_too_large', `the range may span at most ${maxDays} days`);
  }
  return { from, to };
}

/** Project filter: absent = every project of the caller's org; present = a UUID (400 `invalid_project_id`). */
export function parseProjectId(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!isUuid(raw)) throw new BadRequestError('invalid_project_id', 'project_id must be a UUID');
  return raw.toLowerCase();
}

/** Supported timeseries intervals and their length in minutes. */
export const INTERVALS = { '1m': 1, '5m': 5, '15m': 15, '1h': 60, '6h': 360, '1d': 1440 } as const;
export type Interval = keyof typeof INTERVALS;

/** Picks the interval: the requested one (400 `invalid_interval` if unknown or too many points) or the finest with ≤ 300 points. */
export function parseInterval(raw: unknown, range: TimeRange): Interval {
  const minutes = (range.to.getTime() - range.from.getTime()) / MINUTE_MS;
  if (raw === undefined || raw === '') {
    const auto = (Object.keys(INTERVALS) as Interval[]).find((k) => minutes / INTERVALS[k] <= 300);
    return auto ?? '1d';
  }
  if (typeof raw !== 'string' || !Object.hasOwn(INTERVALS, raw)) {
    throw new BadRequestError(
      'invalid_interval',
      `interval must be one of ${Object.keys(INTERVALS).join(', ')}`,
    );
  }
  const interval = raw as Interval;
  if (minutes / INTERVALS[interval] > MAX_POINTS) {
    throw new BadRequestError(
      'invalid_interval',
      `interval ${interval} gives more than ${MAX_POINTS} points`,
    );
  }
  return interval;
}

/** Breakdown dimensions mapped to their (fixed, trusted) rollup column names. */
export const DIMENSIONS = {
  model: 'model',
  provider: 'provider',
  operation: 'operation',
  status: 'status',
  environment: 'environment',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

/** `by` for breakdowns; 400 `invalid_by`. */
export function parseBy(raw: unknown): Dimension {
  if (typeof raw !== 'string' || !Object.hasOwn(DIMENSIONS, raw)) {
    throw new BadRequestError('invalid_by', `by must be one of ${Object.keys(DIMENSIONS).join(', ')}`);
  }
  return raw as Dimension;
}

const Filter = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

/** Optional exact-match explorer filter; 400 `invalid_filter` naming the parameter. */
export function parseFilter(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!v.is(Filter, raw))
    throw new BadRequestError('invalid_filter', `${name} must be a single value of 1 to 256 characters`);
  return raw;
}

/** `status` filter: ok | error; 400 `invalid_filter`. */
export function parseStatus(raw: unknown): 'ok' | 'error' | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'ok' && raw !== 'error')
    throw new BadRequestError('invalid_filter', 'status must be ok or error');
  return raw;
}
