// Event explorer: raw events newest first, filtered on every dimension (kept in the URL), with keyset paging
// and an event detail drawer that the URL names (`?event=`), so it can be linked to.
import {
  Badge,
  Card,
  Flex,
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
import { CustomerText } from '../../../components/customer-text.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { EventDrawer } from '../../../components/event-drawer.tsx';
import { EventsFilter } from '../../../components/events-filter.tsx';
import { PageLinks } from '../../../components/page-links.tsx';
import { ProjectMissing } from '../../../components/project-missing.tsx';
import { ProjectPicker } from '../../../components/project-picker.tsx';
import { RangeLinks } from '../../../components/range-links.tsx';
import { regionalApi } from '../../../lib/api.ts';
import { errorView } from '../../../lib/api-errors.ts';
import type { ExplorerItem, ValueDimension } from '../../../lib/api-types.ts';
import { readFilters } from '../../../lib/event-filters.ts';
import { EXPORT_ROW_CAP } from '../../../lib/export.ts';
import { formatCount, formatMs, formatTime, formatUsd } from '../../../lib/format.ts';
import { chooseProject, param, type SearchParams } from '../../../lib/params.ts';
import { resolveRange } from '../../../lib/range.ts';
import { requireSession } from '../../../lib/session.ts';

const SUGGESTED: ValueDimension[] = ['model', 'provider', 'operation', 'environment', 'error_type'];

/** `/events?project=&range=&<filters>&from=&to=&cursor=&event=`. */
export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const session = await requireSession('/events');
  const api = regionalApi(session);
  const range = resolveRange(param(sp, 'range'), new Date());
  // Later pages keep the bounds of the first one, so the keyset walk stays in one fixed window.
  const from = param(sp, 'from') ?? range.from;
  const to = param(sp, 'to') ?? range.to;
  const filters = readFilters(sp);
  const cursor = param(sp, 'cursor');
  const eventId = param(sp, 'event');

  let loaded: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    const choice = chooseProject(projects, param(sp, 'project'));
    if (choice.kind === 'none' || choice.kind === 'unknown') return { projects, choice } as const;
    const q = { project_id: choice.apiId, from, to };
    const [page, ...known] = await Promise.all([
      api.events({ ...q, ...filters, cursor }),
      // Suggestions only: a failure leaves the field free-text.
      ...SUGGESTED.map((dimension) =>
        api
          .values({ ...q, dimension })
          .then((v) => v.values.map((x) => x.value))
          .catch(() => [] as string[]),
      ),
    ]);
    // The list holds each event as sent, so a drawer for a listed event needs no extra call; a deep link
    // to any other event asks the API for it by id.
    const listed = eventId ? page.items.find((e) => e.event_id === eventId) : undefined;
    const detail: unknown =
      listed ??
      (eventId ? await api.event(eventId, choice.apiId).catch((error: unknown) => error) : undefined);
    return {
      projects,
      choice,
      page,
      detail,
      known: Object.fromEntries(SUGGESTED.map((d, i) => [d, known[i] ?? []])),
    } as const;
  }
  try {
    loaded = await load();
  } catch (error) {
    return (
      <>
        <Title>Events</Title>
        <ErrorPanel view={errorView(error)} returnTo="/events" />
      </>
    );
  }
  if (loaded.choice.kind === 'none' || loaded.choice.kind === 'unknown') {
    return (
      <>
        <Title>Events</Title>
        <ProjectMissing choice={loaded.choice} admin={session.role === 'admin'} path="/events" />
      </>
    );
  }
  const { projects, choice, page, detail, known } = loaded;
  if (!page) return null;
  const keep: Record<string, string> = { project: choice.id, range: range.preset };
  const base: Record<string, string> = { ...keep, ...filters };
  const here: Record<string, string> = { ...base, ...(cursor ? { from, to, cursor } : {}) };
  const withEvent = (id: string) => `/events?${new URLSearchParams({ ...here, event: id }).toString()}`;
  const filterHref = (name: string, value: string) =>
    `/events?${new URLSearchParams({ ...keep, [name]: value }).toString()}`;
  const traceHref = (traceId: string) =>
    `/traces/${encodeURIComponent(traceId)}?${new URLSearchParams({ project: choice.id }).toString()}`;
  const next = page.next_cursor
    ? `/events?${new URLSearchParams({ ...base, from, to, cursor: page.next_cursor }).toString()}`
    : undefined;
  const active = Object.entries(filters);
  // The export covers the whole filter over the bounds of this view (every page, not just this one).
  const exportHref = (format: 'csv' | 'jsonl') =>
    `/api/export?${new URLSearchParams({ ...base, from, to, format }).toString()}`;

  return (
    <>
      <Flex justifyContent="between" alignItems="start" className="flex-wrap gap-3">
        <div className="min-w-0">
          <Title>Events</Title>
          <Text>
            {formatTime(from)} – {formatTime(to)}
            {cursor ? ' · older page' : ''}
          </Text>
        </div>
        <div className="flex w-full flex-wrap items-center justify-end gap-3 sm:w-auto">
          <ProjectPicker projects={projects} selected={choice.id} />
          <RangeLinks
            path="/events"
            params={Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'range'))}
            selected={range.preset}
          />
        </div>
      </Flex>
      <Card className="mt-6">
        <EventsFilter keep={keep} initial={filters} known={known} />
        {active.length ? (
          <p className="mt-3 text-sm text-gray-600 dark:text-gray-300" data-testid="active-filters">
            Filtered by{' '}
            {active.map(([name, value], i) => (
              <span key={name}>
                {i ? ', ' : ''}
                {name} = <CustomerText value={value} />
              </span>
            ))}
          </p>
        ) : null}
        <div className="mt-4 overflow-x-auto">
          <Table data-testid="events-table" className="min-w-full">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Time (UTC)</TableHeaderCell>
                <TableHeaderCell>Model</TableHeaderCell>
                <TableHeaderCell className="hidden md:table-cell">Provider</TableHeaderCell>
                <TableHeaderCell className="hidden lg:table-cell">Operation</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell className="text-right">Duration</TableHeaderCell>
                <TableHeaderCell className="hidden text-right md:table-cell">Tokens in / out</TableHeaderCell>
                <TableHeaderCell className="hidden text-right sm:table-cell">Cost</TableHeaderCell>
                <TableHeaderCell className="hidden xl:table-cell">Environment</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {page.items.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={9}>No events match.</TableCell>
                </TableRow>
              ) : (
                page.items.map((e) => (
                  <EventRow key={`${e.project_id}-${e.event_id}`} event={e} href={withEvent(e.event_id)} />
                ))
              )}
            </TableBody>
          </Table>
        </div>
        <Flex justifyContent="end" className="mt-4 flex-wrap gap-4">
          <span className="mr-auto text-sm text-gray-600 dark:text-gray-300">
            Export all matching events (up to {formatCount(EXPORT_ROW_CAP)}):{' '}
            <a
              href={exportHref('csv')}
              download
              className="font-medium text-blue-700 hover:underline dark:text-blue-400"
              data-testid="export-csv"
            >
              CSV
            </a>{' '}
            ·{' '}
            <a
              href={exportHref('jsonl')}
              download
              className="font-medium text-blue-700 hover:underline dark:text-blue-400"
              data-testid="export-jsonl"
            >
              JSONL
            </a>
          </span>
          <PageLinks
            first={cursor ? { href: `/events?${new URLSearchParams(base)}`, label: '← Newest' } : null}
            next={next ? { href: next, label: 'Next page →' } : null}
            end="End of results"
          />
        </Flex>
      </Card>
      {eventId ? (
        detail && !(detail instanceof Error) && typeof detail === 'object' && 'event_id' in detail ? (
          <EventDrawer
            event={detail as ExplorerItem}
            closeHref={`/events?${new URLSearchParams(here).toString()}`}
            filterHref={filterHref}
            traceHref={traceHref}
          />
        ) : (
          <aside
            data-testid="event-drawer-missing"
            className="fixed inset-y-0 right-0 z-40 w-full max-w-lg border-l border-gray-200 bg-white p-5 text-sm shadow-xl dark:border-gray-800 dark:bg-gray-950"
          >
            <ErrorPanel view={errorView(detail)} returnTo="/events" />
            <Link
              href={`/events?${new URLSearchParams(here).toString()}`}
              className="mt-4 block text-blue-700"
            >
              Close
            </Link>
          </aside>
        )
      ) : null}
    </>
  );
}

/** One explorer row; its time and model open the drawer. Failed calls show their error type. */
function EventRow({ event: e, href }: { event: ExplorerItem; href: string }) {
  return (
    <TableRow data-testid="event-row">
      <TableCell className="whitespace-nowrap">
        <Link
          href={href}
          scroll={false}
          className="text-blue-700 hover:underline dark:text-blue-400"
          data-testid="event-open"
        >
          {formatTime(e.timestamp).replace(' UTC', '')}
        </Link>
      </TableCell>
      <TableCell className="font-medium text-gray-900 dark:text-gray-100">
        <CustomerText value={e.model} maxWidth="max-w-[10rem] lg:max-w-[14rem]" />
      </TableCell>
      <TableCell className="hidden md:table-cell">
        <CustomerText value={e.provider} maxWidth="max-w-[8rem]" />
      </TableCell>
      <TableCell className="hidden lg:table-cell">
        <CustomerText value={e.operation} maxWidth="max-w-[8rem]" />
      </TableCell>
      <TableCell>
        <Badge color={e.status === 'error' ? 'rose' : 'emerald'}>
          {e.status === 'error' && e.error?.type ? (
            <CustomerText value={e.error.type} maxWidth="max-w-[8rem]" />
          ) : (
            (e.status ?? '—')
          )}
        </Badge>
      </TableCell>
      <TableCell className="whitespace-nowrap text-right">{formatMs(e.duration_ms)}</TableCell>
      <TableCell className="hidden whitespace-nowrap text-right md:table-cell">
        {e.usage
          ? `${formatCount(e.usage.input_tokens ?? 0)} / ${formatCount(e.usage.output_tokens ?? 0)}`
          : '—'}
      </TableCell>
      <TableCell className="hidden text-right sm:table-cell">
        {e.cost_usd === undefined ? '—' : formatUsd(e.cost_usd)}
      </TableCell>
      <TableCell className="hidden xl:table-cell">
        <CustomerText value={e.environment} maxWidth="max-w-[8rem]" />
      </TableCell>
    </TableRow>
  );
}
