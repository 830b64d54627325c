// Overview: totals, freshness, time series and breakdowns of one project over a range, refreshed live.
import {
  Card,
  Flex,
  Metric,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from '@tremor/react';
import Link from 'next/link';
import { AutoRefresh } from '../../../components/auto-refresh.tsx';
import { LatencyChart, VolumeChart } from '../../../components/charts.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { ProjectPicker } from '../../../components/project-picker.tsx';
import { RangeLinks } from '../../../components/range-links.tsx';
import { regionalApi } from '../../../lib/api.ts';
import { errorView } from '../../../lib/api-errors.ts';
import { BREAKDOWN_DIMENSIONS, type Dimension } from '../../../lib/api-types.ts';
import {
  ago,
  bucketLabel,
  formatCount,
  formatMs,
  formatPercent,
  formatTime,
  formatUsd,
} from '../../../lib/format.ts';
import { param, type SearchParams, selectProject } from '../../../lib/params.ts';
import { resolveRange } from '../../../lib/range.ts';
import { requireSession } from '../../../lib/session.ts';

const REFRESH_SECONDS = 5;

/** The overview page for `?project=&range=&by=`. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const session = await requireSession('/overview');
  const api = regionalApi(session);
  const now = new Date();
  const range = resolveRange(param(sp, 'range'), now);
  const byParam = param(sp, 'by');
  const by: Dimension = BREAKDOWN_DIMENSIONS.find((d) => d === byParam) ?? 'model';

  let data: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    const project = selectProject(projects, param(sp, 'project'));
    if (!project) return { projects, project: undefined } as const;
    const q = { project_id: project.id, from: range.from, to: range.to };
    const [overview, series, breakdown] = await Promise.all([
      api.overview(q),
      api.timeseries({ ...q, interval: range.interval }),
      api.breakdown({ ...q, by }),
    ]);
    return { projects, project, overview, series, breakdown } as const;
  }
  try {
    data = await load();
  } catch (error) {
    return (
      <>
        <Flex justifyContent="between">
          <Title>Overview</Title>
          <AutoRefresh seconds={REFRESH_SECONDS} />
        </Flex>
        <ErrorPanel view={errorView(error)} returnTo="/overview" />
      </>
    );
  }
  if (!data.project) {
    return (
      <Card className="mt-6">
        <Title>No projects yet</Title>
        <Text className="mt-2">
          {session.role === 'admin' ? (
            <>
              Create one on the <Link href="/admin">Admin</Link> page, then send events with one of its keys.
            </>
          ) : (
            'Ask an admin of your organization to create a project.'
          )}
        </Text>
      </Card>
    );
  }
  const { projects, project, overview, series, breakdown } = data;
  const keep = { project: project.id, range: range.preset, by };
  const multiDay = range.preset === '7d';
  const chartRows = series.points.map((p) => ({
    time: bucketLabel(p.t, multiDay),
    Events: p.events,
    Errors: p.errors,
    p50: p.p50,
    p95: p.p95,
    p99: p.p99,
  }));

  return (
    <>
      <Flex justifyContent="between" className="flex-wrap gap-3">
        <div>
          <Title>Overview</Title>
          <p data-testid="freshness" className="text-tremor-default text-tremor-content">
            {overview.data_as_of
              ? `Data as of ${formatTime(overview.data_as_of)} (${ago(overview.data_as_of, now)})`
              : 'No data in this range yet'}
          </p>
        </div>
        <Flex justifyContent="end" className="w-auto flex-wrap gap-3">
          <ProjectPicker projects={projects} selected={project.id} />
          <RangeLinks path="/overview" params={{ project: project.id, by }} selected={range.preset} />
          <AutoRefresh seconds={REFRESH_SECONDS} />
        </Flex>
      </Flex>

      <div className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Card decoration="top" decorationColor="blue">
          <Text>Events</Text>
          <Metric data-testid="metric-events">{formatCount(overview.events)}</Metric>
        </Card>
        <Card decoration="top" decorationColor="rose">
          <Text>Errors</Text>
          <Metric data-testid="metric-errors">{formatCount(overview.errors)}</Metric>
          <p data-testid="metric-error-rate" className="text-tremor-default text-tremor-content">
            {formatPercent(overview.error_rate)} error rate
          </p>
        </Card>
        <Card decoration="top" decorationColor="violet">
          <Text>Tokens</Text>
          <Metric data-testid="metric-tokens">
            {formatCount(overview.input_tokens + overview.output_tokens)}
          </Metric>
          <Text>
            {formatCount(overview.input_tokens)} in · {formatCount(overview.output_tokens)} out
          </Text>
        </Card>
        <Card decoration="top" decorationColor="emerald">
          <Text>Cost</Text>
          <Metric data-testid="metric-cost">{formatUsd(overview.cost_usd)}</Metric>
        </Card>
        <Card decoration="top" decorationColor="amber">
          <Text>Latency p50 / p95 / p99</Text>
          <Metric data-testid="metric-latency" className="text-xl">
            {formatMs(overview.latency_ms.p50)}
          </Metric>
          <Text>
            p95 {formatMs(overview.latency_ms.p95)} · p99 {formatMs(overview.latency_ms.p99)}
          </Text>
        </Card>
      </div>

      <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <Title>Events and errors</Title>
          <Text>per {series.interval}</Text>
          <VolumeChart data={chartRows} />
        </Card>
        <Card>
          <Title>Latency</Title>
          <Text>p50, p95, p99 per {series.interval}</Text>
          <LatencyChart data={chartRows} />
        </Card>
      </div>

      <Card className="mt-6">
        <Flex justifyContent="between" className="flex-wrap gap-3">
          <Title>Breakdown</Title>
          <div className="inline-flex overflow-hidden rounded-md border border-gray-200">
            {BREAKDOWN_DIMENSIONS.map((d) => (
              <Link
                key={d}
                href={`/overview?${new URLSearchParams({ ...keep, by: d }).toString()}`}
                className={`px-3 py-1.5 text-xs font-medium capitalize ${
                  d === by ? 'bg-blue-600 text-white' : 'text-gray-600 hover:bg-gray-50'
                }`}
              >
                {d}
              </Link>
            ))}
          </div>
        </Flex>
        <Table className="mt-4" data-testid="breakdown">
          <TableHead>
            <TableRow>
              <TableHeaderCell className="capitalize">{by}</TableHeaderCell>
              <TableHeaderCell className="text-right">Events</TableHeaderCell>
              <TableHeaderCell className="text-right">Errors</TableHeaderCell>
              <TableHeaderCell className="text-right">Tokens in / out</TableHeaderCell>
              <TableHeaderCell className="text-right">Cost</TableHeaderCell>
              <TableHeaderCell className="text-right">p95</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {breakdown.rows.length === 0 ? (
              <TableRow>
                <TableCell colSpan={6}>No events in this range.</TableCell>
              </TableRow>
            ) : (
              breakdown.rows.map((row) => (
                <TableRow key={row.key}>
                  <TableCell className="font-medium text-gray-900">{row.key || '(none)'}</TableCell>
                  <TableCell className="text-right">{formatCount(row.events)}</TableCell>
                  <TableCell className="text-right">{formatCount(row.errors)}</TableCell>
                  <TableCell className="text-right">
                    {formatCount(row.input_tokens)} / {formatCount(row.output_tokens)}
                  </TableCell>
                  <TableCell className="text-right">{formatUsd(row.cost_usd)}</TableCell>
                  <TableCell className="text-right">{formatMs(row.p95)}</TableCell>
                </TableRow>
              ))
            )}
            {breakdown.other && (
              <TableRow key="(other)" data-testid="breakdown-other">
                <TableCell className="italic">other ({formatCount(breakdown.other.keys)})</TableCell>
                <TableCell className="text-right">{formatCount(breakdown.other.events)}</TableCell>
                <TableCell className="text-right">{formatCount(breakdown.other.errors)}</TableCell>
                <TableCell className="text-right">
                  {formatCount(breakdown.other.input_tokens)} / {formatCount(breakdown.other.output_tokens)}
                </TableCell>
                <TableCell className="text-right">{formatUsd(breakdown.other.cost_usd)}</TableCell>
                <TableCell className="text-right">{formatMs(breakdown.other.p95)}</TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Card>
    </>
  );
}
