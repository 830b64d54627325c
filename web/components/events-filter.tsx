'use client';
// Event explorer filters (model, provider, status): applying them navigates with new query parameters.
import { Button, Select, SelectItem, TextInput } from '@tremor/react';
import { usePathname, useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';

/** Current filter values, as read from the URL by the page. */
export interface EventFilters {
  project: string;
  range: string;
  model: string;
  provider: string;
  status: string;
}

/** The filter bar; paging restarts from the newest event whenever filters change. */
export function EventsFilter({ initial }: { initial: EventFilters }) {
  const router = useRouter();
  const pathname = usePathname();
  const [model, setModel] = useState(initial.model);
  const [provider, setProvider] = useState(initial.provider);
  const [status, setStatus] = useState(initial.status || 'any');
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const query = new URLSearchParams({ project: initial.project, range: initial.range });
    if (model.trim()) query.set('model', model.trim());
    if (provider.trim()) query.set('provider', provider.trim());
    if (status !== 'any') query.set('status', status);
    router.push(`${pathname}?${query.toString()}`);
  };
  return (
    <form onSubmit={apply} className="flex flex-wrap items-end gap-3" data-testid="events-filter">
      <label htmlFor="filter-model" className="text-sm text-gray-600">
        Model
        <TextInput
          id="filter-model"
          name="model"
          value={model}
          onValueChange={setModel}
          placeholder="any"
          className="mt-1 w-48"
        />
      </label>
      <label htmlFor="filter-provider" className="text-sm text-gray-600">
        Provider
        <TextInput
          id="filter-provider"
          name="provider"
          value={provider}
          onValueChange={setProvider}
          placeholder="any"
          className="mt-1 w-40"
        />
      </label>
      <div className="text-sm text-gray-600">
        Status
        <Select value={status} onValueChange={setStatus} enableClear={false} className="mt-1 w-32">
          <SelectItem value="any">any</SelectItem>
          <SelectItem value="ok">ok</SelectItem>
          <SelectItem value="error">error</SelectItem>
        </Select>
      </div>
      <Button type="submit">Apply</Button>
    </form>
  );
}
