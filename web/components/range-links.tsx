// Range presets as links (server-rendered: changing the range is a navigation, not client state).
import Link from 'next/link';
import { RANGE_PRESETS, type RangePreset } from '../lib/range.ts';

/** Segmented buttons for the range presets, keeping the page's other query parameters. */
export function RangeLinks({
  path,
  params,
  selected,
}: {
  path: string;
  params: Record<string, string>;
  selected: RangePreset;
}) {
  return (
    <div className="inline-flex max-w-full flex-wrap overflow-hidden rounded-md border border-gray-200 bg-white shadow-sm dark:border-gray-700 dark:bg-gray-900">
      {(Object.keys(RANGE_PRESETS) as RangePreset[]).map((preset) => {
        const query = new URLSearchParams({ ...params, range: preset });
        const active = preset === selected;
        return (
          <Link
            key={preset}
            href={`${path}?${query.toString()}`}
            className={`px-3 py-1.5 text-xs font-medium ${
              active
                ? 'bg-blue-600 text-white'
                : 'text-gray-600 hover:bg-gray-50 dark:text-gray-300 dark:hover:bg-gray-800'
            }`}
            aria-current={active ? 'true' : undefined}
          >
            {RANGE_PRESETS[preset].label}
          </Link>
        );
      })}
    </div>
  );
}
