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

/** The `project` value that means every project of the organization. */
export const ALL_PROJECTS = 'all';

/** What the `project` parameter selects. */
export type ProjectChoice =
  | { kind: 'one'; project: Project; id: string; apiId: string }
  | { kind: 'all'; id: typeof ALL_PROJECTS; apiId: undefined }
  | { kind: 'none' }
  | { kind: 'unknown'; requested: string };

/**
 * The project a page shows: the requested one, every project for `all`, the first one when nothing is
 * requested, and `unknown` (a not-found, never another project) for an id that is not one of the list.
 * `apiId` is the API's `project_id` (absent for all projects).
 */
export function chooseProject(projects: Project[], requested: string | undefined): ProjectChoice {
  if (requested === ALL_PROJECTS) {
    return projects.length ? { kind: 'all', id: ALL_PROJECTS, apiId: undefined } : { kind: 'none' };
  }
  if (requested !== undefined) {
    const project = projects.find((p) => p.id === requested.toLowerCase());
    return project
      ? { kind: 'one', project, id: project.id, apiId: project.id }
      : { kind: 'unknown', requested };
  }
  const first = projects[0];
  return first ? { kind: 'one', project: first, id: first.id, apiId: first.id } : { kind: 'none' };
}
