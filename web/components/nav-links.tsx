'use client';
// The dashboard's top navigation links, highlighting the current section.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** Overview, Events, Users and Sessions for everyone; Admin only when the session says the user is an admin. */
export function NavLinks({ admin }: { admin: boolean }) {
  const pathname = usePathname();
  const links = [
    { href: '/overview', label: 'Overview' },
    { href: '/events', label: 'Events' },
    { href: '/users', label: 'Users' },
    { href: '/sessions', label: 'Sessions' },
    ...(admin ? [{ href: '/admin', label: 'Admin' }] : []),
  ];
  return (
    <nav className="flex flex-wrap gap-1" aria-label="Main">
      {links.map((link) => {
        const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${
              active
                ? 'bg-blue-50 text-blue-700 dark:bg-blue-950 dark:text-blue-300'
                : 'text-gray-600 hover:bg-gray-100 hover:text-gray-900 dark:text-gray-300 dark:hover:bg-gray-800'
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
