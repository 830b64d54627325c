// Start page: signed-in users go to the overview; others get a sign-in button (and why the last attempt failed).
// Plain elements rather than Tremor: this is the first page anyone opens, so it should compile and load fast.
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
      <div className="w-full max-w-md rounded-lg border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
        <h1 className="text-lg font-medium text-gray-900 dark:text-gray-100">LLM Observer</h1>
        <p className="mt-2 text-sm text-gray-500">
          Volume, errors, tokens, cost and latency of your LLM calls, seconds after they happen.
        </p>
        {error ? (
          <p
            role="alert"
            className="mt-4 rounded-md border border-rose-200 bg-rose-50 p-3 text-sm text-rose-800"
          >
            {REASONS[error] ?? 'Please sign in again.'}
          </p>
        ) : null}
        <a
          href="/api/auth/login"
          className="mt-6 block rounded-md bg-blue-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-blue-700"
        >
          Sign in
        </a>
      </div>
    </main>
  );
}
