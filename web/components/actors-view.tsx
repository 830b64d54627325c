// Users and sessions pages (server component): per actor calls, errors, tokens, cost and p95, sorted by the API, each linking to its events.
import {
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
import { regionalApi } from '../lib/api.ts';
import { errorView } from '../lib/api-errors.ts';
import type { ActorSort } from '../lib/api-types.ts';
import { formatCount, formatMs, formatPercent, formatTime, formatUsd } from '../lib/format.ts';
import { chooseProject, param, type SearchParams } from '../lib/params.ts';
import { resolveRange } from '../lib/range.ts';
import { requireSession } from '../lib/session.ts';
import { CustomerText } from './customer-text.tsx';
import { ErrorPanel } from './error-panel.tsx';
import { PageLinks } from './page-links.tsx';
import { ProjectMissing } from './project-missing.tsx';
import { ProjectPicker } from './project-picker.tsx';
import { RangeLinks } from './range-links.tsx';

const SORTS: Array<{ sort: ActorSort; label: string; order: string }> = [
  { sort: 'events', label: 'Calls', order: 'most calls first' },
  { sort: 'errors', label: 'Errors', order: 'most errors first' },
  { sort: 'tokens', label: 'Tokens in / out', order: 'most tokens first' },
  { sort: 'cost_usd', label: 'Cost', order: 'highest cost first' },
  { sort: 'last_seen', label: 'Last seen', order: 'most recently seen first' },
];

const KINDS = {
  users: { title: 'Users', noun: 'user', filter: 'user_id' },
  sessions: { title: 'Sessions', noun: 'session', filter: 'session_id' },
} as const;

/** `/users` or `/sessions` with `?project=&range=&sort=&from=&to=&cursor=`. */
export async function ActorsView({ kind, sp }: { kind: 'users' | 'sessions'; sp: SearchParams }) {
  const { title, noun, filter } = KINDS[kind];
  const path = `/${kind}`;
  const session = await requireSession(path);
  const api = regionalApi(session);
  const range = resolveRange(param(sp, 'range') ?? '24h', new Date());
  const from = param(sp, 'from') ?? range.from;
  const to = param(sp, 'to') ?? range.to;
  const sortParam = param(sp, 'sort');
  const sort: ActorSort = SORTS.find((s) => s.sort === sortParam)?.sort ?? 'events';
  const cursor = param(sp, 'cursor');

  let loaded: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    const choice = chooseProject(projects, param(sp, 'project'));
    if (choice.kind === 'none' || choice.kind === 'unknown') return { projects, choice } as const;
    const page = await api.actors(kind, { project_id: choice.apiId, from, to, sort, cursor });
    return { projects, choice, page } as const;
  }
  try {
    loaded = await load();
  } catch (error) {
    return (
      <>
        <Title>{title}</Title>
        <ErrorPanel view={errorView(error)} returnTo={path} />
      </>
    );
  }
  if (loaded.choice.kind === 'none' || loaded.choice.kind === 'unknown') {
    return (
      <>
        <Title>{title}</Title>
        <ProjectMissing choice={loaded.choice} admin={session.role === 'admin'} path={path} />
      </>
    );
  }
  const { projects, choice, page } = loaded;
  if (!page) return null;
  const keep = { project: choice.id, range: range.preset };
  const sortHref = (s: ActorSort) => `${path}?${new URLSearchParams({ ...keep, sort: s }).toString()}`;
  const eventsHref = (id: string) =>
    `/events?${new URLSearchParams({ project: choice.id, range: range.preset, [filter]: id }).toString()}`;
  const next = page.next_cursor
    ? `${path}?${new URLSearchParams({ ...keep, sort, from, to, cursor: page.next_cursor }).toString()}`
    : undefined;

  return (
    <>
      <Flex justifyContent="between" alignItems="start" className="flex-wrap gap-3">
        <div className="min-w-0">
          <Title>{title}</Title>
          <Text>
            {formatTime(page.from)} – {formatTime(page.to)} (whole hours){cursor ? ' · more' : ''}
          </Text>
        </div>
        <div className="flex w-full flex-wrap items-center justify-end gap-3 sm:w-auto">
          <ProjectPicker projects={projects} selected={choice.id} />
          <RangeLinks path={path} params={{ project: choice.id, sort }} selected={range.preset} />
        </div>
      </Flex>
      <Card className="mt-6">
        <Text>
          Each {noun} that sent events in the range, {SORTS.find((s) => s.sort === sort)?.order}. Click a
          column to sort by it, a {noun} to see its events.
        </Text>
        <div className="mt-4 overflow-x-auto">
          <Table data-testid={`${kind}-table`}>
            <TableHead>
              <TableRow>
                <TableHeaderCell className="capitalize">{noun}</TableHeaderCell>
                {SORTS.map(({ sort: s, label }) => (
                  <TableHeaderCell
                    key={s}
                    className={`text-right ${s === 'last_seen' || s === 'tokens' ? 'hidden md:table-cell' : ''}`}
                  >
                    <Link
                      href={sortHref(s)}
                      className="whitespace-nowrap hover:underline"
                      data-testid={`sort-${s}`}
                      aria-sort={s === sort ? 'descending' : undefined}
                    >
                      {label}
                      {s === sort ? ' ↓' : ''}
                    </Link>
                  </TableHeaderCell>
                ))}
                <TableHeaderCell className="hidden text-right sm:table-cell">Error rate</TableHeaderCell>
                <TableHeaderCell className="text-right">p95</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {page.items.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={8}>No {kind} in this range.</TableCell>
                </TableRow>
              ) : (
                page.items.map((row) => (
                  <TableRow key={row.id} data-testid="actor-row">
                    <TableCell className="font-medium text-gray-900 dark:text-gray-100">
                      <Link
                        href={eventsHref(row.id)}
                        className="text-blue-700 hover:underline dark:text-blue-400"
                        data-testid="actor-link"
                      >
                        <CustomerText value={row.id} maxWidth="max-w-[9rem] sm:max-w-[16rem]" />
                      </Link>
                    </TableCell>
                    <TableCell className="text-right">{formatCount(row.events)}</TableCell>
                    <TableCell className="text-right">{formatCount(row.errors)}</TableCell>
                    <TableCell className="hidden whitespace-nowrap text-right md:table-cell">
                      {formatCount(row.input_tokens)} / {formatCount(row.output_tokens)}
                    </TableCell>
                    <TableCell className="text-right">{formatUsd(row.cost_usd)}</TableCell>
                    <TableCell className="hidden whitespace-nowrap text-right md:table-cell">
                      {formatTime(row.last_seen).replace(' UTC', '')}
                    </TableCell>
                    <TableCell className="hidden text-right sm:table-cell">
                      {formatPercent(row.error_rate)}
                    </TableCell>
                    <TableCell className="text-right">{formatMs(row.p95)}</TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        </div>
        <Flex justifyContent="end" className="mt-4 gap-4">
          <PageLinks
            first={cursor ? { href: sortHref(sort), label: '← First page' } : null}
            next={next ? { href: next, label: 'Next page →' } : null}
            end="End of list"
          />
        </Flex>
      </Card>
    </>
  );
}
