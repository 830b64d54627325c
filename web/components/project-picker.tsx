'use client';
// Project selector: changes the `project` query parameter of the current page.
import { Select, SelectItem } from '@tremor/react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { Project } from '../lib/api-types.ts';
import { ALL_PROJECTS } from '../lib/params.ts';
import { CustomerText } from './customer-text.tsx';

/** A Tremor Select over the organization's projects and "All projects"; paging cursors are dropped on change. */
export function ProjectPicker({
  projects,
  selected,
  allowAll = true,
}: {
  projects: Project[];
  selected: string;
  allowAll?: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <div className="w-full sm:w-64" data-testid="project-picker">
      <Select
        value={selected}
        enableClear={false}
        onValueChange={(value) => {
          const next = new URLSearchParams(params.toString());
          next.set('project', value);
          for (const name of ['cursor', 'from', 'to', 'event']) next.delete(name);
          router.push(`${pathname}?${next.toString()}`);
        }}
      >
        {[
          ...(allowAll
            ? [
                <SelectItem key={ALL_PROJECTS} value={ALL_PROJECTS}>
                  All projects
                </SelectItem>,
              ]
            : []),
          ...projects.map((p) => (
            <SelectItem key={p.id} value={p.id}>
              <CustomerText value={p.name} />
            </SelectItem>
          )),
        ]}
      </Select>
    </div>
  );
}
