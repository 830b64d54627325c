// Sorting breakdown rows by a column named in the URL (`sort`, `dir`), with error rate derived per row.
import type { BreakdownRow } from './api-types.ts';

/** Columns a breakdown can be sorted by. */
export const SORT_COLUMNS = [
  'key',
  'events',
  'errors',
  'error_rate',
  'tokens',
  'cost',
  'p50',
  'p95',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDirection = 'asc' | 'desc';

/** Share of the row's events that failed (0 for no events). */
export const errorRate = (row: Pick<BreakdownRow, 'events' | 'errors'>): number =>
  row.events > 0 ? row.errors / row.events : 0;

/** How a row's error rate is computed: its own share by default (an error type's share of all calls differs). */
export type RateOf = (row: Pick<BreakdownRow, 'events' | 'errors'>) => number;

function value(row: BreakdownRow, column: SortColumn, rate: RateOf): number | string | null {
  switch (column) {
    case 'key':
      return row.key;
    case 'error_rate':
      return rate(row);
    case 'tokens':
      return row.input_tokens + row.output_tokens;
    case 'cost':
      return row.cost_usd;
    default:
      return row[column];
  }
}

/** The column and direction from query parameters (events, most first, by default). */
export function parseSort(sort: string | undefined, dir: string | undefined) {
  const column = SORT_COLUMNS.find((c) => c === sort) ?? 'events';
  const direction: SortDirection = dir === 'asc' || dir === 'desc' ? dir : column === 'key' ? 'asc' : 'desc';
  return { column, direction };
}

/** A sorted copy; rows without a value (no latency) go last in either direction. */
export function sortRows(
  rows: BreakdownRow[],
  column: SortColumn,
  direction: SortDirection,
  rate: RateOf = errorRate,
): BreakdownRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, column, rate);
    const y = value(b, column, rate);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'string' || typeof y === 'string') return sign * String(x).localeCompare(String(y));
    return sign * (x - y) || a.key.localeCompare(b.key);
  });
}
