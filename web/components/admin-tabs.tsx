// Sub-navigation of the admin section.
import Link from 'next/link';

const TABS = [
  { id: 'projects', href: '/admin', label: 'Projects' },
  { id: 'keys', href: '/admin/keys', label: 'API keys' },
  { id: 'audit', href: '/admin/audit', label: 'Audit log' },
] as const;

/** Tabs as links; `current` is highlighted. */
export function AdminTabs({ current }: { current: (typeof TABS)[number]['id'] }) {
  return (
    <div className="mb-6 flex flex-wrap gap-4 border-b border-gray-200 dark:border-gray-700">
      {TABS.map((tab) => (
        <Link
          key={tab.id}
          href={tab.href}
          className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium ${
            tab.id === current
              ? 'border-blue-600 text-blue-700'
              : 'border-transparent text-gray-500 hover:text-gray-800'
          }`}
        >
          {tab.label}
        </Link>
      ))}
    </div>
  );
}
