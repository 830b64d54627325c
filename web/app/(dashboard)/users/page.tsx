// Users page: per user calls, errors, tokens, cost and p95 over a range, sortable, each linking to its events.
import { ActorsView } from '../../../components/actors-view.tsx';
import type { SearchParams } from '../../../lib/params.ts';

/** `/users?project=&range=&sort=`. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return <ActorsView kind="users" sp={await searchParams} />;
}
