// Trace view: the events that share a trace id as a timeline (waterfall by start and duration), with totals.
import { Badge, Card, Flex, Metric, Text, Title } from '@tremor/react';
import Link from 'next/link';
import { CustomerText } from '../../../../components/customer-text.tsx';
import { ErrorPanel } from '../../../../components/error-panel.tsx';
import { ProjectMissing } from '../../../../components/project-missing.tsx';
import { regionalApi } from '../../../../lib/api.ts';
import { errorView } from '../../../../lib/api-errors.ts';
import { formatCount, formatMs, formatTime, formatUsd } from '../../../../lib/format.ts';
import { chooseProject, param, type SearchParams } from '../../../../lib/params.ts';
import { requireSession } from '../../../../lib/session.ts';
import { waterfall } from '../../../../lib/waterfall.ts';

/** `/traces/<trace id>?project=`. */
export default async function TracePage({
  params,
  searchParams,
}: {
  params: Promise<{ traceId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { traceId } = await params;
  const sp = await searchParams;
  const returnTo = `/traces/${encodeURIComponent(traceId)}`;
  const session = await requireSession(returnTo);
  const api = regionalApi(session);
  let loaded: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    const choice = chooseProject(projects, param(sp, 'project') ?? 'all');
    if (choice.kind === 'none' || choice.kind === 'unknown') return { choice } as const;
    return { choice, trace: await api.trace(traceId, choice.apiId) } as const;
  }
  try {
    loaded = await load();
  } catch (error) {
    return (
      <>
        <Title>Trace</Title>
        <ErrorPanel view={errorView(error)} returnTo={returnTo} />
      </>
    );
  }
  if (loaded.choice.kind === 'none' || loaded.choice.kind === 'unknown') {
    return <ProjectMissing choice={loaded.choice} admin={session.role === 'admin'} path="/events" />;
  }
  const { choice, trace } = loaded;
  if (!trace) return null;
  const bars = waterfall(trace);
  const eventHref = (id: string) =>
    `/events?${new URLSearchParams({ project: choice.id, trace_id: trace.trace_id, range: '7d', event: id }).toString()}`;

  return (
    <>
      <Flex justifyContent="between" alignItems="start" className="flex-wrap gap-3">
        <div className="min-w-0">
          <Title>Trace</Title>
          <p className="break-all font-mono text-xs text-gray-500 dark:text-gray-400">{trace.trace_id}</p>
          <Text>
            {formatTime(trace.started_at)} · {formatMs(trace.duration_ms)} end to end
          </Text>
        </div>
        <Link
          className="text-sm font-medium text-blue-700 hover:underline dark:text-blue-400"
          href={`/events?${new URLSearchParams({ project: choice.id, trace_id: trace.trace_id, range: '7d' }).toString()}`}
        >
          These events in the explorer →
        </Link>
      </Flex>
      <div className="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="trace-totals">
        <Card>
          <Text>Events</Text>
          <Metric>{formatCount(trace.totals.events)}</Metric>
        </Card>
        <Card>
          <Text>Errors</Text>
          <Metric>{formatCount(trace.totals.errors)}</Metric>
        </Card>
        <Card>
          <Text>Tokens</Text>
          <Metric>{formatCount(trace.totals.input_tokens + trace.totals.output_tokens)}</Metric>
        </Card>
        <Card>
          <Text>Cost</Text>
          <Metric>{formatUsd(trace.totals.cost_usd)}</Metric>
        </Card>
      </div>
      <Card className="mt-6">
        <Title>Timeline</Title>
        <Text>Each bar starts when the call started and is as long as it took.</Text>
        {trace.truncated ? (
          <Text className="mt-1">Showing the first {bars.length} events of a longer trace.</Text>
        ) : null}
        <ol className="mt-4 space-y-1" data-testid="trace-timeline">
          {bars.map((bar) => (
            <li
              key={bar.event.event_id}
              className="grid grid-cols-1 items-center gap-1 text-sm sm:grid-cols-[14rem_minmax(0,1fr)] sm:gap-3"
              data-testid="trace-span"
            >
              <Link
                href={eventHref(bar.event.event_id)}
                className="flex min-w-0 items-center gap-2 text-blue-700 hover:underline dark:text-blue-400"
              >
                <CustomerText value={bar.event.model} fallback="(no model)" maxWidth="max-w-[9rem]" />
                {bar.event.status === 'error' ? <Badge color="rose">error</Badge> : null}
              </Link>
              <div className="relative h-6 rounded bg-gray-100 dark:bg-gray-800">
                <div
                  className={`absolute inset-y-0 rounded ${bar.event.status === 'error' ? 'bg-rose-500' : 'bg-blue-500'}`}
                  style={{ left: `${bar.offsetPct}%`, width: `${bar.widthPct}%`, minWidth: '2px' }}
                  title={`${formatMs(bar.event.duration_ms)} from +${formatMs(bar.startMs)}`}
                />
                <span className="absolute inset-y-0 right-1 flex items-center text-xs text-gray-700 dark:text-gray-200">
                  +{formatMs(bar.startMs)} · {formatMs(bar.event.duration_ms)}
                </span>
              </div>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
