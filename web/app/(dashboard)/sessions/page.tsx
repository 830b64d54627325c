// Sessions page: per session calls, errors, tokens, cost and p95 over a range, sortable, each linking to its events.
import { ActorsView } from '../../../components/actors-view.tsx';
import type { SearchParams } from '../../../lib/params.ts';

/** `/sessions?project=&range=&sort=`. */
export default async function SessionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return <ActorsView kind="sessions" sp={await searchParams} />;
}
