// How a page shows a failed API call: what happened and what the user can do about it.
import { Callout } from '@tremor/react';
import type { ErrorView } from '../lib/api-errors.ts';

/** A callout for an error view; a signed-out user gets a sign-in link that returns to `returnTo`. */
export function ErrorPanel({ view, returnTo }: { view: ErrorView; returnTo?: string }) {
  const color = view.kind === 'unavailable' ? 'amber' : view.kind === 'bad-request' ? 'orange' : 'rose';
  return (
    <Callout title={view.title} color={color} className="mt-6" data-testid={`error-${view.kind}`}>
      <span>{view.message}</span>
      {view.kind === 'signed-out' ? (
        <a
          className="ml-2 font-medium underline"
          href={`/api/auth/login?returnTo=${encodeURIComponent(returnTo ?? '/overview')}`}
        >
          Sign in again
        </a>
      ) : null}
    </Callout>
  );
}
