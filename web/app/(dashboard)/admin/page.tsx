// Admin · Projects: the organization's projects and a form to create one.
import {
  Card,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from '@tremor/react';
import Link from 'next/link';
import { AdminTabs } from '../../../components/admin-tabs.tsx';
import { CreateProjectForm } from '../../../components/create-project-form.tsx';
import { ErrorPanel } from '../../../components/error-panel.tsx';
import { regionalApi } from '../../../lib/api.ts';
import { errorView } from '../../../lib/api-errors.ts';
import type { Project } from '../../../lib/api-types.ts';
import { formatTime } from '../../../lib/format.ts';
import { requireSession } from '../../../lib/session.ts';
import { createProjectAction } from './actions.ts';

/**
 * Listing projects is open to members, so this page asks for the admin-only key list of the first
 * project too: a member gets the API's 403 here instead of a form that could only fail.
 */
export default async function AdminProjectsPage() {
  const session = await requireSession('/admin');
  const api = regionalApi(session);
  let projects: Project[];
  try {
    projects = (await api.projects()).projects;
    const first = projects[0];
    if (first) await api.apiKeys(first.id);
  } catch (error) {
    return (
      <>
        <Title>Admin</Title>
        <ErrorPanel view={errorView(error)} returnTo="/admin" />
      </>
    );
  }
  return (
    <>
      <Title className="mb-4">Admin</Title>
      <AdminTabs current="projects" />
      <Card>
        <Title>Projects</Title>
        <Text>Each project has its own API keys and its own numbers.</Text>
        <CreateProjectForm action={createProjectAction} />
        <Table className="mt-6" data-testid="projects-table">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Id</TableHeaderCell>
              <TableHeaderCell>Created</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {projects.map((p) => (
              <TableRow key={p.id}>
                <TableCell className="font-medium text-gray-900">{p.name}</TableCell>
                <TableCell className="break-all font-mono text-xs">{p.id}</TableCell>
                <TableCell>{formatTime(p.created_at)}</TableCell>
                <TableCell>
                  <Link
                    className="text-sm text-blue-700 hover:underline"
                    href={`/admin/keys?project=${p.id}`}
                  >
                    API keys →
                  </Link>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
    </>
  );
}
