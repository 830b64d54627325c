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
      <header className="border-b border-gray-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-6 py-3">
          <div className="flex items-center gap-6">
            <span className="text-base font-semibold text-gray-900">LLM Observer</span>
            {session ? <NavLinks admin={session.role === 'admin'} /> : null}
          </div>
          {session ? (
            <div className="flex items-center gap-3 text-sm text-gray-600">
              <span data-testid="user-email">{session.email}</span>
              <Badge color={session.role === 'admin' ? 'indigo' : 'gray'}>{session.role}</Badge>
              <form action="/api/auth/logout" method="post">
                <button type="submit" className="rounded-md px-2 py-1 text-gray-600 hover:bg-gray-100">
                  Sign out
                </button>
              </form>
            </div>
          ) : null}
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </div>
  );
}
