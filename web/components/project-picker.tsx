'use client';
// Project selector: changes the `project` query parameter of the current page.
import { Select, SelectItem } from '@tremor/react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { Project } from '../lib/api-types.ts';

/** A Tremor Select over the organization's projects; paging cursors are dropped on change. */
export function ProjectPicker({ projects, selected }: { projects: Project[]; selected: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <div className="w-64" data-testid="project-picker">
      <Select
        value={selected}
        enableClear={false}
        onValueChange={(value) => {
          const next = new URLSearchParams(params.toString());
          next.set('project', value);
          next.delete('cursor');
          router.push(`${pathname}?${next.toString()}`);
        }}
      >
        {projects.map((p) => (
          <SelectItem key={p.id} value={p.id}>
            {p.name}
          </SelectItem>
        ))}
      </Select>
    </div>
  );
}
