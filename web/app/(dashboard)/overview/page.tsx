// Overview: totals, freshness, time series and breakdowns of one project (or all) over a range, refreshed live.
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
import {
  CostChart,
  ErrorRateChart,
  LatencyChart,
  TokensChart,
  VolumeChart,
} from '../../../components/charts.tsx';
import { CustomerText } from '../../../components/customer-text.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { EventsFilter } from '../../../components/events-filter.tsx';
import { IngestSnippet } from '../../../components/ingest-snippet.tsx';
import { ProjectMissing } from '../../../components/project-missing.tsx';
import { ProjectPicker } from '../../../components/project-picker.tsx';
import { RangeLinks } from '../../../components/range-links.tsx';
import { regionalApi } from '../../../lib/api.ts';
import { errorView } from '../../../lib/api-errors.ts';
import { BREAKDOWN_DIMENSIONS, type Dimension } from '../../../lib/api-types.ts';
import {
  errorRate,
  parseSort,
  SORT_COLUMNS,
  type SortColumn,
  sortRows,
} from '../../../lib/breakdown-sort.ts';
import { webConfig } from '../../../lib/config.ts';
import { readFilters } from '../../../lib/event-filters.ts';
import {
  ago,
  bucketLabel,
  formatCount,
  formatMs,
  formatPercent,
  formatTime,
  formatUsd,
} from '../../../lib/format.ts';
import { chooseProject, param, type SearchParams } from '../../../lib/params.ts';
import { resolveRange } from '../../../lib/range.ts';
import { requireSession } from '../../../lib/session.ts';

const REFRESH_SECONDS = 5;

const COLUMN_LABELS: Record<SortColumn, string> = {
  key: '',
  events: 'Events',
  errors: 'Errors',
  error_rate: 'Error rate',
  tokens: 'Tokens in / out',
  cost: 'Cost',
  p50: 'p50',
  p95: 'p95',
};

/** Dimensions whose known values the filter form suggests here (fewer than the explorer: this page refreshes). */
const SUGGESTED = ['model', 'environment', 'error_type'] as const;
/** Most models with a series of their own in the cost chart (the rest is "other"). */
const COST_MODELS = 5;

/** The overview page for `?project=&range=&by=&sort=&dir=&<explorer filters>`. */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const session = await requireSession('/overview');
  const api = regionalApi(session);
  const now = new Date();
  const range = resolveRange(param(sp, 'range'), now);
  const byParam = param(sp, 'by');
  const by: Dimension = BREAKDOWN_DIMENSIONS.find((d) => d === byParam) ?? 'model';
  const sort = parseSort(param(sp, 'sort'), param(sp, 'dir'));
  const filters = readFilters(sp);

  let data: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    const choice = chooseProject(projects, param(sp, 'project'));
    if (choice.kind === 'none' || choice.kind === 'unknown') return { projects, choice } as const;
    const q = { project_id: choice.apiId, from: range.from, to: range.to };
    const f = { ...q, ...filters };
    const [overview, series, breakdown, errorTypes, ...known] = await Promise.all([
      api.overview(f),
      api.timeseries({ ...f, interval: range.interval, split: 'model' }),
      api.breakdown({ ...f, by }),
      by === 'error_type' ? undefined : api.breakdown({ ...f, by: 'error_type' }),
      // Suggestions only: a failure leaves the field free-text.
      ...SUGGESTED.map((dimension) =>
        api
          .values({ ...q, dimension })
          .then((v) => v.values.map((x) => x.value))
          .catch(() => [] as string[]),
      ),
    ]);
    return {
      projects,
      choice,
      overview,
      series,
      breakdown,
      errorTypes: errorTypes ?? breakdown,
      known: Object.fromEntries(SUGGESTED.map((d, i) => [d, known[i] ?? []])),
    } as const;
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
  if (data.choice.kind === 'none' || data.choice.kind === 'unknown') {
    return (
      <>
        <Title>Overview</Title>
        <ProjectMissing choice={data.choice} admin={session.role === 'admin'} path="/overview" />
      </>
    );
  }
  const { projects, choice, overview, series, breakdown, errorTypes, known } = data;
  if (!overview || !series || !breakdown || !errorTypes) return null;
  const keep = { project: choice.id, range: range.preset, by, ...filters };
  const active = Object.entries(filters);
  // An error type's rate is its share of every call in the range; other rows' rate is their own.
  const rateOf = (row: { events: number; errors: number }) =>
    by === 'error_type'
      ? breakdown.range_events > 0
        ? row.errors / breakdown.range_events
        : 0
      : errorRate(row);
  // Cost per bucket stacked by model: the top models by cost, then the rest as one series.
  const splitSeries = (series.split?.series ?? []).slice(0, COST_MODELS + 1);
  const costLabel = (s: (typeof splitSeries)[number]) =>
    s.other ? `other (${s.keys})` : s.key === 'time' || s.key === '' ? `${s.key || '(none)'} ` : s.key;
  const costCategories = splitSeries.map(costLabel);
  const lastIndex = series.points.length - 1;
  const rows = series.points.map((p, i) => {
    // The bucket that contains now is still filling: its label says so, instead of a silent cliff.
    const partial = i === lastIndex && p.t >= range.partialFrom;
    const time = `${bucketLabel(p.t, range.multiDay)}${partial ? ' (partial)' : ''}`;
    return {
      time,
      Events: p.events,
      Errors: p.errors,
      p50: p.p50,
      p95: p.p95,
      p99: p.p99,
      'Input tokens': p.input_tokens,
      'Output tokens': p.output_tokens,
      Cost: p.cost_usd,
      'Error rate': p.events > 0 ? p.errors / p.events : null,
      ...Object.fromEntries(splitSeries.map((s) => [costLabel(s), s.points[i]?.cost_usd ?? 0])),
    };
  });
  const empty = overview.events === 0 && overview.data_as_of === null;
  const sortHref = (column: SortColumn) => {
    const dir = sort.column === column && sort.direction === 'desc' ? 'asc' : 'desc';
    return `/overview?${new URLSearchParams({ ...keep, sort: column, dir }).toString()}`;
  };
  const explorerHref = (name: string, key: string) =>
    `/events?${new URLSearchParams({ project: choice.id, range: range.preset, ...filters, [name]: key }).toString()}`;

  return (
    <>
      <Flex justifyContent="between" alignItems="start" className="flex-wrap gap-3">
        <div className="min-w-0">
          <Title>Overview</Title>
          <p data-testid="freshness" className="text-tremor-default text-tremor-content">
            {overview.data_as_of
              ? `Data as of ${formatTime(overview.data_as_of)} (${ago(overview.data_as_of, now)})`
              : 'No data in this range yet'}
          </p>
        </div>
        <div className="flex w-full flex-wrap items-center justify-end gap-3 sm:w-auto">
          <ProjectPicker projects={projects} selected={choice.id} />
          <RangeLinks
            path="/overview"
            params={{ project: choice.id, by, ...filters }}
            selected={range.preset}
          />
          <AutoRefresh seconds={REFRESH_SECONDS} />
        </div>
      </Flex>

      <details className="mt-6" open={active.length > 0} data-testid="overview-filters">
        <summary className="cursor-pointer text-sm font-medium text-gray-700 dark:text-gray-200">
          Filters
          {active.length ? (
            <span data-testid="active-filters" className="font-normal text-gray-600 dark:text-gray-300">
              {' '}
              ·{' '}
              {active.map(([name, value], i) => (
                <span key={name}>
                  {i ? ', ' : ''}
                  {name} = <CustomerText value={value} />
                </span>
              ))}
            </span>
          ) : null}
        </summary>
        <Card className="mt-2">
          <EventsFilter
            keep={{ project: choice.id, range: range.preset, by }}
            initial={filters}
            known={known}
          />
        </Card>
      </details>

      {empty && choice.kind === 'one' && active.length === 0 ? (
        <Card className="mt-6" data-testid="onboarding">
          <Title>Send your first events</Title>
          <Text className="mt-1">
            No events have arrived for <CustomerText value={choice.project.name} /> in this range. Point the
            SDK (or any HTTP client) at the ingest URL with one of the project’s API keys
            {session.role === 'admin' ? (
              <>
                {' '}
                (create one on{' '}
                <Link
                  className="font-medium text-blue-700 hover:underline dark:text-blue-400"
                  href={`/admin/keys?project=${choice.id}`}
                >
                  API keys
                </Link>
                )
              </>
            ) : (
              ' (an admin of your organization can create one)'
            )}
            ; events show up here within seconds.
          </Text>
          <IngestSnippet ingestUrl={webConfig().ingestUrl} />
        </Card>
      ) : null}

      <div className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Card decoration="top" decorationColor="blue">
          <Text>Events</Text>
          <Metric data-testid="metric-events">{formatCount(overview.events)}</Metric>
        </Card>
        <Card decoration="top" decorationColor="rose">
          <Text>Errors</Text>
          <Metric data-testid="metric-errors">{formatCount(overview.errors)}</Metric>
          <p
            data-testid="metric-error-rate"
            className="whitespace-nowrap text-tremor-default text-tremor-content"
          >
            {formatPercent(overview.error_rate)} error rate
          </p>
        </Card>
        <Card decoration="top" decorationColor="violet">
          <Text>Tokens</Text>
          <Metric data-testid="metric-tokens">
            {formatCount(overview.input_tokens + overview.output_tokens)}
          </Metric>
          <p className="truncate text-tremor-default text-tremor-content">
            <span className="whitespace-nowrap">{formatCount(overview.input_tokens)} in</span> ·{' '}
            <span className="whitespace-nowrap">{formatCount(overview.output_tokens)} out</span>
          </p>
        </Card>
        <Card decoration="top" decorationColor="emerald">
          <Text>Cost</Text>
          <Metric data-testid="metric-cost">{formatUsd(overview.cost_usd)}</Metric>
        </Card>
        <Card decoration="top" decorationColor="amber">
          <Text className="truncate">Latency p50</Text>
          <Metric data-testid="metric-latency" className="whitespace-nowrap">
            {formatMs(overview.latency_ms.p50)}
          </Metric>
          <p className="truncate text-tremor-default text-tremor-content">
            <span className="whitespace-nowrap">p95 {formatMs(overview.latency_ms.p95)}</span> ·{' '}
            <span className="whitespace-nowrap">p99 {formatMs(overview.latency_ms.p99)}</span>
          </p>
        </Card>
      </div>

      <p className="mt-4 text-tremor-default text-tremor-content" data-testid="chart-note">
        Per {series.interval}, UTC. The last bucket is still filling (marked “partial”); buckets without calls
        have no latency or error rate and are left as gaps.
      </p>
      <div className="mt-2 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <Title>Events and errors</Title>
          <VolumeChart data={rows} />
        </Card>
        <Card>
          <Title>Latency</Title>
          <Text>p50, p95, p99</Text>
          <LatencyChart data={rows} />
        </Card>
        <Card>
          <Title>Error rate</Title>
          <ErrorRateChart data={rows} categories={['Error rate']} />
        </Card>
        <Card>
          <Title>Tokens</Title>
          <TokensChart data={rows} />
        </Card>
        <Card>
          <Title>Cost by model</Title>
          <Text>Top {COST_MODELS} models by cost in the range, the rest as “other”</Text>
          <CostChart data={rows} categories={costCategories.length ? costCategories : ['Cost']} />
        </Card>
        <Card data-testid="error-types">
          <Title>Errors by type</Title>
          <Text>Share of all calls in the range that failed with each error type</Text>
          {errorTypes.rows.length === 0 ? (
            <Text className="mt-4">No failed calls in this range.</Text>
          ) : (
            <Table className="mt-4">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>Error type</TableHeaderCell>
                  <TableHeaderCell className="text-right">Errors</TableHeaderCell>
                  <TableHeaderCell className="text-right">Error rate</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {errorTypes.rows.map((row) => (
                  <TableRow key={row.key} data-testid="error-type-row">
                    <TableCell>
                      {row.key ? (
                        <Link href={explorerHref('error_type', row.key)} className="hover:underline">
                          <CustomerText value={row.key} />
                        </Link>
                      ) : (
                        '(no type)'
                      )}
                    </TableCell>
                    <TableCell className="text-right">{formatCount(row.errors)}</TableCell>
                    <TableCell className="text-right">
                      {formatPercent(errorTypes.range_events > 0 ? row.errors / errorTypes.range_events : 0)}
                    </TableCell>
                  </TableRow>
                ))}
                {errorTypes.other ? (
                  <TableRow>
                    <TableCell className="italic">other ({formatCount(errorTypes.other.keys)})</TableCell>
                    <TableCell className="text-right">{formatCount(errorTypes.other.errors)}</TableCell>
                    <TableCell className="text-right">
                      {formatPercent(
                        errorTypes.range_events > 0 ? errorTypes.other.errors / errorTypes.range_events : 0,
                      )}
                    </TableCell>
                  </TableRow>
                ) : null}
              </TableBody>
            </Table>
          )}
        </Card>
      </div>

      <Card className="mt-6">
        <Flex justifyContent="between" className="flex-wrap gap-3">
          <Title>Breakdown</Title>
          <div className="inline-flex max-w-full flex-wrap overflow-hidden rounded-md border border-gray-200 dark:border-gray-700">
            {BREAKDOWN_DIMENSIONS.map((d) => (
              <Link
                key={d}
                href={`/overview?${new URLSearchParams({ ...keep, by: d }).toString()}`}
                className={`px-3 py-1.5 text-xs font-medium ${
                  d === by
                    ? 'bg-blue-600 text-white'
                    : 'text-gray-600 hover:bg-gray-50 dark:text-gray-300 dark:hover:bg-gray-800'
                }`}
              >
                {d.replace('_', ' ')}
              </Link>
            ))}
          </div>
        </Flex>
        <Text className="mt-2">Click a column to sort, a row to see its events.</Text>
        <div className="mt-4 overflow-x-auto">
          <Table data-testid="breakdown">
            <TableHead>
              <TableRow>
                {SORT_COLUMNS.map((column) => (
                  <TableHeaderCell key={column} className={column === 'key' ? 'capitalize' : 'text-right'}>
                    <Link
                      href={sortHref(column)}
                      className="whitespace-nowrap hover:underline"
                      data-testid={`sort-${column}`}
                      aria-sort={
                        sort.column === column
                          ? sort.direction === 'asc'
                            ? 'ascending'
                            : 'descending'
                          : undefined
                      }
                    >
                      {column === 'key' ? by : COLUMN_LABELS[column]}
                      {sort.column === column ? (sort.direction === 'asc' ? ' ↑' : ' ↓') : ''}
                    </Link>
                  </TableHeaderCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {breakdown.rows.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={SORT_COLUMNS.length}>No events in this range.</TableCell>
                </TableRow>
              ) : (
                sortRows(breakdown.rows, sort.column, sort.direction, rateOf).map((row) => (
                  <TableRow key={row.key} data-testid="breakdown-row">
                    <TableCell className="font-medium text-gray-900 dark:text-gray-100">
                      {row.key ? (
                        <Link
                          href={explorerHref(by, row.key)}
                          className="hover:underline"
                          data-testid="breakdown-link"
                        >
                          <CustomerText value={row.key} />
                        </Link>
                      ) : (
                        '(none)'
                      )}
                    </TableCell>
                    <TableCell className="text-right">{formatCount(row.events)}</TableCell>
                    <TableCell className="text-right">{formatCount(row.errors)}</TableCell>
                    <TableCell className="text-right">{formatPercent(rateOf(row))}</TableCell>
                    <TableCell className="whitespace-nowrap text-right">
                      {formatCount(row.input_tokens)} / {formatCount(row.output_tokens)}
                    </TableCell>
                    <TableCell className="text-right">{formatUsd(row.cost_usd)}</TableCell>
                    <TableCell className="text-right">{formatMs(row.p50)}</TableCell>
                    <TableCell className="text-right">{formatMs(row.p95)}</TableCell>
                  </TableRow>
                ))
              )}
              {breakdown.other ? (
                <TableRow data-testid="breakdown-other">
                  <TableCell className="italic">other ({formatCount(breakdown.other.keys)})</TableCell>
                  <TableCell className="text-right">{formatCount(breakdown.other.events)}</TableCell>
                  <TableCell className="text-right">{formatCount(breakdown.other.errors)}</TableCell>
                  <TableCell className="text-right">{formatPercent(rateOf(breakdown.other))}</TableCell>
                  <TableCell className="whitespace-nowrap text-right">
                    {formatCount(breakdown.other.input_tokens)} / {formatCount(breakdown.other.output_tokens)}
                  </TableCell>
                  <TableCell className="text-right">{formatUsd(breakdown.other.cost_usd)}</TableCell>
                  <TableCell className="text-right">{formatMs(breakdown.other.p50)}</TableCell>
                  <TableCell className="text-right">{formatMs(breakdown.other.p95)}</TableCell>
                </TableRow>
              ) : null}
            </TableBody>
          </Table>
        </div>
      </Card>
    </>
  );
}
