// The event detail drawer: every field the event holds, and one click to its trace, user and session.
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ExplorerItem } from '../lib/api-types.ts';
import { formatCount, formatMs, formatTime, formatUsd } from '../lib/format.ts';
import { CustomerText } from './customer-text.tsx';

const LINK = 'font-medium text-blue-700 hover:underline dark:text-blue-400';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2 py-1">
      <dt className="text-gray-500 dark:text-gray-400">{label}</dt>
      <dd className="min-w-0 break-words text-gray-900 dark:text-gray-100">{children}</dd>
    </div>
  );
}

/** An attribute value as a tree: objects and arrays nest, scalars are shown as JSON text. */
function Tree({ value }: { value: unknown }) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    return (
      <ul className="ml-3 border-l border-gray-200 pl-2 dark:border-gray-700">
        {entries.map(([key, v]) => (
          <li key={key}>
            <CustomerText value={key} className="text-gray-500 dark:text-gray-400" />:{' '}
            {v !== null && typeof v === 'object' ? (
              <Tree value={v} />
            ) : (
              <CustomerText value={JSON.stringify(v)} />
            )}
          </li>
        ))}
      </ul>
    );
  }
  return <CustomerText value={JSON.stringify(value)} />;
}

/**
 * The drawer for one event, rendered by the explorer when the URL names it (`?event=`), so it can be
 * linked to. `filterHref(name, value)` is the explorer filtered on one field.
 */
export function EventDrawer({
  event,
  closeHref,
  filterHref,
  traceHref,
}: {
  event: ExplorerItem;
  closeHref: string;
  filterHref: (name: string, value: string) => string;
  traceHref: (traceId: string) => string;
}) {
  const usage = event.usage as Record<string, number | undefined> | undefined;
  return (
    <aside
      aria-label="Event detail"
      data-testid="event-drawer"
      className="fixed inset-y-0 right-0 z-40 w-full max-w-lg overflow-y-auto border-l border-gray-200 bg-white p-5 text-sm shadow-xl dark:border-gray-800 dark:bg-gray-950"
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-gray-900 dark:text-gray-100">
            <CustomerText value={event.model} fallback="(no model)" maxWidth="max-w-[20rem]" />
          </h2>
          <p className="text-gray-500 dark:text-gray-400">{formatTime(event.timestamp)}</p>
        </div>
        <Link href={closeHref} className={LINK} data-testid="drawer-close" scroll={false}>
          Close ✕
        </Link>
      </div>
      {event.status === 'error' ? (
        <div
          className="mt-4 rounded-md border border-rose-200 bg-rose-50 p-3 text-rose-900 dark:border-rose-900 dark:bg-rose-950 dark:text-rose-100"
          data-testid="drawer-error"
        >
          <p className="font-semibold">
            <CustomerText value={event.error?.type} fallback="error" />
          </p>
          <p className="mt-1 whitespace-pre-wrap break-words [unicode-bidi:isolate]">
            {event.error?.message ?? 'No message was sent.'}
          </p>
        </div>
      ) : null}
      <dl className="mt-4 divide-y divide-gray-100 dark:divide-gray-800">
        <Field label="Status">{event.status ?? '—'}</Field>
        <Field label="Provider">
          <CustomerText value={event.provider} />
        </Field>
        <Field label="Operation">
          <CustomerText value={event.operation} />
        </Field>
        <Field label="Response model">
          <CustomerText value={event.response_model} />
        </Field>
        <Field label="Environment">
          <CustomerText value={event.environment} />
        </Field>
        <Field label="Duration">{formatMs(event.duration_ms)}</Field>
        <Field label="Time to first token">{formatMs(event.time_to_first_token_ms)}</Field>
        <Field label="Tokens">
          {usage
            ? `${formatCount(usage.input_tokens ?? 0)} in / ${formatCount(usage.output_tokens ?? 0)} out${
                usage.cache_read_input_tokens
                  ? ` · ${formatCount(usage.cache_read_input_tokens)} cache read`
                  : ''
              }${usage.cache_creation_input_tokens ? ` · ${formatCount(usage.cache_creation_input_tokens)} cache write` : ''}`
            : '—'}
        </Field>
        <Field label="Cost">{event.cost_usd === undefined ? '—' : formatUsd(event.cost_usd)}</Field>
        <Field label="Trace">
          {event.trace_id ? (
            <Link href={traceHref(event.trace_id)} className={LINK} data-testid="drawer-trace">
              <span className="font-mono text-xs">{event.trace_id}</span> · other events in this trace
            </Link>
          ) : (
            '—'
          )}
        </Field>
        <Field label="Span">
          <span className="font-mono text-xs">
            {event.span_id ?? '—'}
            {event.parent_span_id ? ` (parent ${event.parent_span_id})` : ''}
          </span>
        </Field>
        <Field label="User">
          {event.user_id ? (
            <Link href={filterHref('user_id', event.user_id)} className={LINK} data-testid="drawer-user">
              <CustomerText value={event.user_id} /> · this user’s events
            </Link>
          ) : (
            '—'
          )}
        </Field>
        <Field label="Session">
          {event.session_id ? (
            <Link
              href={filterHref('session_id', event.session_id)}
              className={LINK}
              data-testid="drawer-session"
            >
              <CustomerText value={event.session_id} /> · this session
            </Link>
          ) : (
            '—'
          )}
        </Field>
        <Field label="SDK">
          {event.sdk ? (
            <CustomerText
              value={[event.sdk.name, event.sdk.version, event.sdk.language].filter(Boolean).join(' ')}
            />
          ) : (
            '—'
          )}
        </Field>
        <Field label="Event id">
          <span className="break-all font-mono text-xs">{event.event_id}</span>
        </Field>
        <Field label="Received">{formatTime(event.received_at)}</Field>
        <Field label="Attributes">
          {event.attributes && Object.keys(event.attributes).length > 0 ? (
            <div data-testid="drawer-attributes">
              <Tree value={event.attributes} />
            </div>
          ) : (
            '—'
          )}
        </Field>
      </dl>
      <details className="mt-4">
        <summary className="cursor-pointer text-gray-600 dark:text-gray-300">
          The event as sent (JSON)
        </summary>
        <pre className="mt-2 overflow-x-auto rounded bg-gray-50 p-3 font-mono text-xs text-gray-800 dark:bg-gray-900 dark:text-gray-200">
          {JSON.stringify(event, null, 2)}
        </pre>
      </details>
    </aside>
  );
}
