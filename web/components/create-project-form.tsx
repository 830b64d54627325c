'use client';
// Form creating a project through a server action, showing the API's refusal (e.g. a taken name).
import { Button, Callout, TextInput } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import type { ActionResult } from '../app/(dashboard)/admin/actions.ts';
import type { ErrorView } from '../lib/api-errors.ts';
import type { Project } from '../lib/api-types.ts';

/** Name field + Create button; the list re-renders from the server afterwards. */
export function CreateProjectForm({ action }: { action: (name: string) => Promise<ActionResult<Project>> }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [error, setError] = useState<ErrorView>();
  const [pending, startTransition] = useTransition();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await action(name);
      if (result.ok) {
        setName('');
        setError(undefined);
        router.refresh();
      } else {
        setError(result.error);
      }
    });
  };
  return (
    <form onSubmit={submit} className="mt-4" data-testid="create-project">
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor="new-project-name" className="text-sm text-gray-600">
          New project name
          <TextInput
            id="new-project-name"
            value={name}
            onValueChange={setName}
            placeholder="e.g. checkout-bot"
            className="mt-1 w-full sm:w-64"
          />
        </label>
        <Button type="submit" loading={pending} disabled={!name.trim()}>
          Create project
        </Button>
      </div>
      {error ? (
        <Callout title={error.title} color="rose" className="mt-3">
          {error.message}
        </Callout>
      ) : null}
    </form>
  );
}
