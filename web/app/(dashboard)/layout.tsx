// Layout of the signed-in pages: header with navigation, the user and sign-out.
import { Badge } from '@tremor/react';
import type { ReactNode } from 'react';
import { NavLinks } from '../../components/nav-links.tsx';
import { getSession } from '../../lib/session.ts';

/** Each page checks the session itself (it knows where to return after sign-in); this only draws the frame. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  return (
    <div className="min-h-screen">
      <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
            <span className="text-base font-semibold text-gray-900 dark:text-gray-100">LLM Observer</span>
            {session ? <NavLinks admin={session.role === 'admin'} /> : null}
          </div>
          {session ? (
            <div className="flex min-w-0 items-center gap-3 text-sm text-gray-600 dark:text-gray-300">
              <span data-testid="user-email" className="min-w-0 truncate" title={session.email}>
                {session.email}
              </span>
              <Badge color={session.role === 'admin' ? 'indigo' : 'gray'}>{session.role}</Badge>
              <form action="/api/auth/logout" method="post">
                <button
                  type="submit"
                  className="whitespace-nowrap rounded-md px-2 py-1 text-gray-600 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800"
                >
                  Sign out
                </button>
              </form>
            </div>
          ) : null}
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
