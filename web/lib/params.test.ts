// Choosing the project of a page: requested, all, first, or a clear not-found.
import { describe, expect, it } from 'vitest';
import type { Project } from './api-types.ts';
import { chooseProject } from './params.ts';

const a: Project = { id: '11111111-1111-4111-8111-111111111111', name: 'A', created_at: '' };
const b: Project = { id: '22222222-2222-4222-8222-222222222222', name: 'B', created_at: '' };

describe('chooseProject', () => {
  it('picks the requested project, case-insensitively', () => {
    expect(chooseProject([a, b], b.id.toUpperCase())).toMatchObject({ kind: 'one', project: b, apiId: b.id });
  });

  it('defaults to the first project', () => {
    expect(chooseProject([a, b], undefined)).toMatchObject({ kind: 'one', project: a });
  });

  it('offers all projects (no project_id for the API)', () => {
    expect(chooseProject([a, b], 'all')).toEqual({ kind: 'all', id: 'all', apiId: undefined });
  });

  it('never shows another project for an unknown id', () => {
    expect(chooseProject([a, b], '33333333-3333-4333-8333-333333333333')).toEqual({
      kind: 'unknown',
      requested: '33333333-3333-4333-8333-333333333333',
    });
    expect(chooseProject([a], 'not-a-uuid').kind).toBe('unknown');
  });

  it('says when there is no project at all', () => {
    expect(chooseProject([], undefined)).toEqual({ kind: 'none' });
    expect(chooseProject([], 'all')).toEqual({ kind: 'none' });
  });
});
