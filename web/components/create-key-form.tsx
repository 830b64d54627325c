'use client';
// Creating an API key: the full key is shown once, with a copy button and a warning, then forgotten.
import { Button, Callout, TextInput } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import type { ActionResult } from '../app/(dashboard)/admin/actions.ts';
import type { ErrorView } from '../lib/api-errors.ts';
import type { CreatedApiKey } from '../lib/api-types.ts';
import { CustomerText } from './customer-text.tsx';
import { IngestSnippet } from './ingest-snippet.tsx';

/** Name field + Create button; the new key lives only in this component's state until dismissed. */
export function CreateKeyForm({
  projectId,
  ingestUrl,
  action,
}: {
  projectId: string;
  /** The edge's public URL, shown in the ready-to-paste snippet. */
  ingestUrl: string;
  action: (projectId: string, name: string) => Promise<ActionResult<CreatedApiKey>>;
}) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey>();
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<ErrorView>();
  const [pending, startTransition] = useTransition();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await action(projectId, name);
      if (result.ok) {
        setCreated(result.value);
        setCopied(false);
        setName('');
        setError(undefined);
        router.refresh();
      } else {
        setError(result.error);
      }
    });
  };
  const copy = async () => {
    if (!created) return;
    await navigator.clipboard.writeText(created.key);
    setCopied(true);
  };
  return (
    <div className="mt-4">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid="create-key">
        <label htmlFor="new-key-name" className="text-sm text-gray-600 dark:text-gray-300">
          New key name
          <TextInput
            id="new-key-name"
            value={name}
            onValueChange={setName}
            placeholder="e.g. production"
            className="mt-1 w-full sm:w-64"
          />
        </label>
        <Button type="submit" loading={pending} disabled={!name.trim()}>
          Create key
        </Button>
      </form>
      {error ? (
        <Callout title={error.title} color="rose" className="mt-3">
          {error.message}
        </Callout>
      ) : null}
      {created ? (
        // A plain box rather than Callout: Callout wraps its children in <p>, which cannot hold blocks.
        <div
          role="status"
          className="mt-4 rounded-md border-l-4 border-amber-500 bg-amber-50 p-4 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          data-testid="new-key"
        >
          <p className="font-semibold">
            Key “<CustomerText value={created.name} />” created — copy it now
          </p>
          <p className="mt-1">
            This is the only time the full key is shown. We keep only a digest of it, so it cannot be shown
            again.
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <code
              className="max-w-full break-all rounded bg-white px-2 py-1 font-mono text-sm text-gray-900"
              data-testid="new-key-value"
            >
              {created.key}
            </code>
            <Button size="xs" variant="secondary" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
            <Button size="xs" variant="light" onClick={() => setCreated(undefined)}>
              I have stored it
            </Button>
          </div>
          <IngestSnippet ingestUrl={ingestUrl} apiKey={created.key} />
        </div>
      ) : null}
    </div>
  );
}
