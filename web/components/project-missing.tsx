// What a page shows when its project cannot be shown: none exists yet, or the URL names an unknown one.
import { Card, Text, Title } from '@tremor/react';
import Link from 'next/link';
import type { ProjectChoice } from '../lib/params.ts';
import { CustomerText } from './customer-text.tsx';

/** "No projects yet" (with what to do), or a not-found for an id that is not one of the organization's. */
export function ProjectMissing({
  choice,
  admin,
  path,
}: {
  choice: Extract<ProjectChoice, { kind: 'none' | 'unknown' }>;
  admin: boolean;
  path: string;
}) {
  if (choice.kind === 'unknown') {
    return (
      <Card className="mt-6" data-testid="project-not-found">
        <Title>Project not found</Title>
        <Text className="mt-2">
          There is no project <CustomerText value={choice.requested} /> in your organization (or you cannot
          see it).
        </Text>
        <Text className="mt-2">
          <Link className="font-medium text-blue-700 hover:underline dark:text-blue-400" href={path}>
            Show your first project
          </Link>{' '}
          or{' '}
          <Link
            className="font-medium text-blue-700 hover:underline dark:text-blue-400"
            href={`${path}?project=all`}
          >
            all projects
          </Link>
          .
        </Text>
      </Card>
    );
  }
  return (
    <Card className="mt-6">
      <Title>No projects yet</Title>
      <Text className="mt-2">
        {admin ? (
          <>
            Create one on the <Link href="/admin">Admin</Link> page, then send events with one of its keys.
          </>
        ) : (
          'Ask an admin of your organization to create a project.'
        )}
      </Text>
    </Card>
  );
}
