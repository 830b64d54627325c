// Breakdown sorting: by any column, either way, rows without latency last.
import { describe, expect, it } from 'vitest';
import type { BreakdownRow } from './api-types.ts';
import { errorRate, parseSort, sortRows } from './breakdown-sort.ts';

const row = (key: string, events: number, errors: number, p95: number | null): BreakdownRow => ({
  key,
  events,
  errors,
  input_tokens: events * 10,
  output_tokens: 0,
  cost_usd: events / 1000,
  p50: p95,
  p95,
});
const rows = [row('a', 10, 5, 100), row('b', 100, 1, null), row('c', 50, 25, 300)];

describe('breakdown sorting', () => {
  it('defaults to events, most first', () => {
    const { column, direction } = parseSort(undefined, undefined);
    expect(sortRows(rows, column, direction).map((r) => r.key)).toEqual(['b', 'c', 'a']);
  });

  it('sorts by error rate both ways', () => {
    expect(errorRate(rows[0] as BreakdownRow)).toBe(0.5);
    expect(sortRows(rows, 'error_rate', 'desc').map((r) => r.key)).toEqual(['a', 'c', 'b']);
    expect(sortRows(rows, 'error_rate', 'asc').map((r) => r.key)).toEqual(['b', 'a', 'c']);
  });

  it('puts rows without latency last either way', () => {
    expect(sortRows(rows, 'p95', 'desc').map((r) => r.key)).toEqual(['c', 'a', 'b']);
    expect(sortRows(rows, 'p95', 'asc').map((r) => r.key)).toEqual(['a', 'c', 'b']);
  });

  it('ignores unknown columns and directions', () => {
    expect(parseSort('drop table', 'sideways')).toEqual({ column: 'events', direction: 'desc' });
    expect(parseSort('key', undefined)).toEqual({ column: 'key', direction: 'asc' });
  });
});
