// Reading Next.js search params (string, string[] or absent) and picking the selected project.
import type { Project } from './api-types.ts';

/** Next's search params as a page receives them. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a parameter, or undefined when absent or empty. */
export function param(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** The requested project if it is one of the list, otherwise the first one (undefined for none). */
export function selectProject(projects: Project[], requested: string | undefined): Project | undefined {
  return projects.find((p) => p.id === requested) ?? projects[0];
}
