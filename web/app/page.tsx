// Start page: signed-in users go to the overview; others get a sign-in button (and why the last attempt failed).
import { Callout, Card, Text, Title } from '@tremor/react';
import { redirect } from 'next/navigation';
import { param, type SearchParams } from '../lib/params.ts';
import { getSession } from '../lib/session.ts';

const REASONS: Record<string, string> = {
  denied: 'The sign-in was cancelled or refused.',
  sign_in_expired: 'The sign-in took too long or was started elsewhere. Please try again.',
  sign_in_failed: 'The sign-in could not be completed. Please try again.',
  issuer_unavailable: 'The sign-in service cannot be reached right now. Please try again shortly.',
};

/** Landing page. */
export default async function Home({ searchParams }: { searchParams: Promise<SearchParams> }) {
  if (await getSession()) redirect('/overview');
  const error = param(await searchParams, 'error');
  return (
    <main className="grid min-h-screen place-items-center p-6">
      <Card className="max-w-md">
        <Title>LLM Observer</Title>
        <Text className="mt-2">
          Volume, errors, tokens, cost and latency of your LLM calls, seconds after they happen.
        </Text>
        {error ? (
          <Callout title="Not signed in" color="rose" className="mt-4">
            {REASONS[error] ?? 'Please sign in again.'}
          </Callout>
        ) : null}
        <a
          href="/api/auth/login"
          className="mt-6 block rounded-md bg-blue-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-blue-700"
        >
          Sign in
        </a>
      </Card>
    </main>
  );
}
