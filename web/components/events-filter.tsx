'use client';
// Explorer filters on every dimension: applying them navigates, so the filters live in the URL. Known
// values are offered as suggestions (the browser matches them ignoring case; so does the API).
import { Button, Select, SelectItem } from '@tremor/react';
import { usePathname, useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { type FILTER_NAMES, parseAttrEntry } from '../lib/event-filters.ts';

/** Text filters with their label and whether known values are offered. */
const TEXT_FILTERS: Array<{ name: (typeof FILTER_NAMES)[number]; label: string; suggest: boolean }> = [
  { name: 'model', label: 'Model', suggest: true },
  { name: 'provider', label: 'Provider', suggest: true },
  { name: 'operation', label: 'Operation', suggest: true },
  { name: 'environment', label: 'Environment', suggest: true },
  { name: 'error_type', label: 'Error type', suggest: true },
  { name: 'user_id', label: 'User', suggest: false },
  { name: 'session_id', label: 'Session', suggest: false },
  { name: 'trace_id', label: 'Trace id', suggest: false },
];

const INPUT =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm text-gray-900 shadow-sm dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100';

/** The filter bar; paging restarts from the newest event whenever filters change. */
export function EventsFilter({
  keep,
  initial,
  known,
}: {
  /** Parameters kept as they are (project, range). */
  keep: Record<string, string>;
  /** Current filters from the URL (`attr.<key>` included). */
  initial: Record<string, string>;
  /** Known values per dimension, for suggestions. */
  known: Partial<Record<string, string[]>>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...initial }));
  const [status, setStatus] = useState(initial.status ?? 'any');
  const [attrs, setAttrs] = useState(
    Object.entries(initial)
      .filter(([name]) => name.startsWith('attr.'))
      .map(([name, value]) => `${name.slice(5)}=${value}`)
      .join(', '),
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const query = new URLSearchParams(keep);
    for (const { name } of TEXT_FILTERS) {
      const value = values[name]?.trim();
      if (value) query.set(name, value);
    }
    if (status !== 'any') query.set('status', status);
    for (const entry of attrs.split(',')) {
      const pair = parseAttrEntry(entry);
      if (pair) query.set(pair[0], pair[1]);
    }
    router.push(`${pathname}?${query.toString()}`);
  };
  return (
    <form
      onSubmit={apply}
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6"
      data-testid="events-filter"
    >
      {TEXT_FILTERS.map(({ name, label, suggest }) => (
        <label key={name} htmlFor={`filter-${name}`} className="text-sm text-gray-600 dark:text-gray-300">
          {label}
          <input
            id={`filter-${name}`}
            name={name}
            value={values[name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
            placeholder="any"
            list={suggest ? `known-${name}` : undefined}
            autoComplete="off"
            className={INPUT}
          />
          {suggest ? (
            <datalist id={`known-${name}`}>
              {(known[name] ?? []).map((value) => (
                <option key={value} value={value} />
              ))}
            </datalist>
          ) : null}
        </label>
      ))}
      <div className="text-sm text-gray-600 dark:text-gray-300">
        Status
        <Select value={status} onValueChange={setStatus} enableClear={false} className="mt-1">
          <SelectItem value="any">any</SelectItem>
          <SelectItem value="ok">ok</SelectItem>
          <SelectItem value="error">error</SelectItem>
        </Select>
      </div>
      <label htmlFor="filter-attrs" className="col-span-2 text-sm text-gray-600 dark:text-gray-300">
        Attributes (key=value, comma-separated)
        <input
          id="filter-attrs"
          name="attrs"
          value={attrs}
          onChange={(e) => setAttrs(e.target.value)}
          placeholder="e.g. route=/chat, retry=true"
          autoComplete="off"
          className={INPUT}
        />
      </label>
      <div className="col-span-2 flex items-end gap-2 sm:col-span-1">
        <Button type="submit">Apply</Button>
        <Button
          type="button"
          variant="light"
          onClick={() => router.push(`${pathname}?${new URLSearchParams(keep)}`)}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
