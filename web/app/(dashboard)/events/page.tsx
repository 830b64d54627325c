// Event explorer: raw events newest first, filtered by model, provider and status, with keyset paging.
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
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { EventsFilter } from '../../../components/events-filter.tsx';
import { ProjectPicker } from '../../../components/project-picker.tsx';
import { RangeLinks } from '../../../components/range-links.tsx';
import { regionalApi } from '../../../lib/api.ts';
import { errorView } from '../../../lib/api-errors.ts';
import { formatCount, formatMs, formatTime, formatUsd } from '../../../lib/format.ts';
import { param, type SearchParams, selectProject } from '../../../lib/params.ts';
import { resolveRange } from '../../../lib/range.ts';
import { requireSession } from '../../../lib/session.ts';

/** `/events?project=&range=&model=&provider=&status=&from=&to=&cursor=`. */
export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const session = await requireSession('/events');
  const api = regionalApi(session);
  const range = resolveRange(param(sp, 'range'), new Date());
  // Later pages keep the bounds of the first one, so the keyset walk stays in one fixed window.
  const from = param(sp, 'from') ?? range.from;
  const to = param(sp, 'to') ?? range.to;
  const filters = {
    model: param(sp, 'model'),
    provider: param(sp, 'provider'),
    status: param(sp, 'status'),
  };
  const cursor = param(sp, 'cursor');

  let loaded: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    const project = selectProject(projects, param(sp, 'project'));
    if (!project) return { projects, project: undefined, page: undefined };
    const page = await api.events({ project_id: project.id, from, to, ...filters, cursor });
    return { projects, project, page };
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
  const { projects, project, page } = loaded;
  if (!project || !page) {
    return (
      <Card className="mt-6">
        <Title>No projects yet</Title>
      </Card>
    );
  }
  const base: Record<string, string> = { project: project.id, range: range.preset };
  for (const [name, value] of Object.entries(filters)) if (value) base[name] = value;
  const next = page.next_cursor
    ? `/events?${new URLSearchParams({ ...base, from, to, cursor: page.next_cursor }).toString()}`
    : undefined;

  return (
    <>
      <Flex justifyContent="between" className="flex-wrap gap-3">
        <div>
          <Title>Events</Title>
          <Text>
            {formatTime(from)} – {formatTime(to)}
            {cursor ? ' · older page' : ''}
          </Text>
        </div>
        <Flex justifyContent="end" className="w-auto flex-wrap gap-3">
          <ProjectPicker projects={projects} selected={project.id} />
          <RangeLinks
            path="/events"
            params={Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'range'))}
            selected={range.preset}
          />
        </Flex>
      </Flex>
      <Card className="mt-6">
        <EventsFilter
          initial={{
            project: project.id,
            range: range.preset,
            model: filters.model ?? '',
            provider: filters.provider ?? '',
            status: filters.status ?? '',
          }}
        />
        <Table className="mt-4" data-testid="events-table">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Time</TableHeaderCell>
              <TableHeaderCell>Model</TableHeaderCell>
              <TableHeaderCell>Provider</TableHeaderCell>
              <TableHeaderCell>Operation</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell className="text-right">Duration</TableHeaderCell>
              <TableHeaderCell className="text-right">Tokens in / out</TableHeaderCell>
              <TableHeaderCell className="text-right">Cost</TableHeaderCell>
              <TableHeaderCell>Event id</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {page.items.length === 0 ? (
              <TableRow>
                <TableCell colSpan={9}>No events match.</TableCell>
              </TableRow>
            ) : (
              page.items.map((e) => (
                <TableRow key={`${e.event_id}-${e.received_at}`} data-testid="event-row">
                  <TableCell>{formatTime(e.timestamp)}</TableCell>
                  <TableCell className="font-medium text-gray-900">{e.model ?? '—'}</TableCell>
                  <TableCell>{e.provider ?? '—'}</TableCell>
                  <TableCell>{e.operation ?? '—'}</TableCell>
                  <TableCell>
                    <Badge color={e.status === 'error' ? 'rose' : 'emerald'}>{e.status ?? '—'}</Badge>
                  </TableCell>
                  <TableCell className="text-right">{formatMs(e.duration_ms)}</TableCell>
                  <TableCell className="text-right">
                    {formatCount(e.usage?.input_tokens ?? 0)} / {formatCount(e.usage?.output_tokens ?? 0)}
                  </TableCell>
                  <TableCell className="text-right">
                    {e.cost_usd === undefined ? '—' : formatUsd(e.cost_usd)}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{e.event_id}</TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
        <Flex justifyContent="end" className="mt-4 gap-4">
          {cursor ? (
            <Link
              className="text-sm font-medium text-blue-700 hover:underline"
              href={`/events?${new URLSearchParams(base)}`}
            >
              ← Newest
            </Link>
          ) : null}
          {next ? (
            <Link
              className="text-sm font-medium text-blue-700 hover:underline"
              href={next}
              data-testid="next-page"
            >
              Next page →
            </Link>
          ) : (
            <Text>End of results</Text>
          )}
        </Flex>
      </Card>
    </>
  );
}
