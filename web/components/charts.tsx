'use client';
// Overview charts (client components: Tremor charts render with recharts in the browser). Buckets without
// data stay gaps (no line is drawn across them), and axis ticks are short enough never to wrap.
import { AreaChart, BarChart, LineChart } from '@tremor/react';
import { formatCountShort, formatMsShort, formatPercent, formatUsd } from '../lib/format.ts';

/** One chart row: a bucket label plus the series values (null: no data in that bucket). */
export type ChartRow = Record<string, string | number | null>;

const count = (n: number) => new Intl.NumberFormat('en-US').format(n);
const CHART = 'mt-4 h-56 sm:h-64';

/** Events and errors per bucket (zero is a real count here: no calls). */
export function VolumeChart({ data }: { data: ChartRow[] }) {
  return (
    <AreaChart
      className={CHART}
      data={data}
      index="time"
      categories={['Events', 'Errors']}
      colors={['blue', 'rose']}
      valueFormatter={count}
      showAnimation={false}
      yAxisWidth={52}
    />
  );
}

/** Latency percentiles per bucket; a bucket without calls is a gap, not a line across it. */
export function LatencyChart({ data }: { data: ChartRow[] }) {
  return (
    <LineChart
      className={CHART}
      data={data}
      index="time"
      categories={['p50', 'p95', 'p99']}
      colors={['emerald', 'amber', 'rose']}
      valueFormatter={formatMsShort}
      connectNulls={false}
      showAnimation={false}
      yAxisWidth={60}
    />
  );
}

/** Input and output tokens per bucket, stacked. */
export function TokensChart({ data }: { data: ChartRow[] }) {
  return (
    <BarChart
      className={CHART}
      data={data}
      index="time"
      categories={['Input tokens', 'Output tokens']}
      colors={['violet', 'fuchsia']}
      valueFormatter={formatCountShort}
      stack
      showAnimation={false}
      yAxisWidth={52}
    />
  );
}

/** Cost per bucket, stacked by the given categories (models), or one total. */
export function CostChart({ data, categories }: { data: ChartRow[]; categories: string[] }) {
  return (
    <BarChart
      className={CHART}
      data={data}
      index="time"
      categories={categories}
      colors={['emerald', 'cyan', 'indigo', 'amber', 'rose', 'lime', 'gray']}
      valueFormatter={formatUsd}
      stack
      showAnimation={false}
      yAxisWidth={76}
    />
  );
}

/** Share of calls that failed per bucket, by error type when given; no calls is a gap. */
export function ErrorRateChart({ data, categories }: { data: ChartRow[]; categories: string[] }) {
  return (
    <LineChart
      className={CHART}
      data={data}
      index="time"
      categories={categories}
      colors={['rose', 'orange', 'amber', 'purple', 'gray']}
      valueFormatter={formatPercent}
      connectNulls={false}
      showAnimation={false}
      yAxisWidth={60}
    />
  );
}
