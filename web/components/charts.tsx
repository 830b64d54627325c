'use client';
// Overview charts (client components: Tremor charts render with recharts in the browser).
import { AreaChart, LineChart } from '@tremor/react';

/** One chart row: a bucket label plus the series values. */
export type ChartRow = Record<string, string | number | null>;

const count = (n: number) => new Intl.NumberFormat('en-US').format(n);
const ms = (n: number) => `${Math.round(n)} ms`;

/** Events and errors per bucket. */
export function VolumeChart({ data }: { data: ChartRow[] }) {
  return (
    <AreaChart
      className="mt-4 h-64"
      data={data}
      index="time"
      categories={['Events', 'Errors']}
      colors={['blue', 'rose']}
      valueFormatter={count}
      showAnimation={false}
      yAxisWidth={48}
    />
  );
}

/** Latency percentiles per bucket (buckets without a duration are bridged, so sparse traffic still draws a line). */
export function LatencyChart({ data }: { data: ChartRow[] }) {
  return (
    <LineChart
      className="mt-4 h-64"
      data={data}
      index="time"
      categories={['p50', 'p95', 'p99']}
      colors={['emerald', 'amber', 'rose']}
      valueFormatter={ms}
      connectNulls
      showAnimation={false}
      yAxisWidth={64}
    />
  );
}
