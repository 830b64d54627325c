// Admin · API keys of one project: status and last use, create (shown once), revoke (confirmed).
import {
  Badge,
  Card,
  Flex,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from '@tremor/react';
import { AdminTabs } from '../../../../components/admin-tabs.tsx';
import { CreateKeyForm } from '../../../../components/create-key-form.tsx';
import { CustomerText } from '../../../../components/customer-text.tsx';
import { ErrorPanel } from '../../../../components/error-panel.tsx';
import { ProjectMissing } from '../../../../components/project-missing.tsx';
import { ProjectPicker } from '../../../../components/project-picker.tsx';
import { RevokeButton } from '../../../../components/revoke-button.tsx';
import { regionalApi } from '../../../../lib/api.ts';
import { errorView } from '../../../../lib/api-errors.ts';
import { webConfig } from '../../../../lib/config.ts';
import { formatTime } from '../../../../lib/format.ts';
import { chooseProject, param, type SearchParams } from '../../../../lib/params.ts';
import { requireSession } from '../../../../lib/session.ts';
import { createApiKeyAction, revokeApiKeyAction } from '../actions.ts';

/** `/admin/keys?project=`. */
export default async function AdminKeysPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const session = await requireSession('/admin/keys');
  const api = regionalApi(session);
  let loaded: Awaited<ReturnType<typeof load>>;
  async function load() {
    const { projects } = await api.projects();
    // Keys belong to one project: "all" shows the first one here.
    const requested = param(sp, 'project');
    const choice = chooseProject(projects, requested === 'all' ? undefined : requested);
    const keys = choice.kind === 'one' ? (await api.apiKeys(choice.project.id)).api_keys : [];
    return { projects, choice, keys };
  }
  try {
    loaded = await load();
  } catch (error) {
    return (
      <>
        <Title>Admin</Title>
        <ErrorPanel view={errorView(error)} returnTo="/admin/keys" />
      </>
    );
  }
  const { projects, choice, keys } = loaded;
  const project = choice.kind === 'one' ? choice.project : undefined;
  return (
    <>
      <Title className="mb-4">Admin</Title>
      <AdminTabs current="keys" />
      {project ? (
        <Card>
          <Flex justifyContent="between" className="flex-wrap gap-3">
            <div>
              <Title>API keys</Title>
              <Text>
                SDKs send events with these keys. Revoked keys are refused at the edge within seconds.
              </Text>
            </div>
            <ProjectPicker projects={projects} selected={project.id} allowAll={false} />
          </Flex>
          <CreateKeyForm
            projectId={project.id}
            ingestUrl={webConfig().ingestUrl}
            action={createApiKeyAction}
          />
          <Table className="mt-6 overflow-x-auto" data-testid="keys-table">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Key</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Created</TableHeaderCell>
                <TableHeaderCell>Last used</TableHeaderCell>
                <TableHeaderCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {keys.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={6}>No keys yet.</TableCell>
                </TableRow>
              ) : (
                keys.map((k) => (
                  <TableRow key={k.id} data-testid={`key-${k.prefix}`}>
                    <TableCell className="font-medium text-gray-900 dark:text-gray-100">
                      <CustomerText value={k.name} />
                    </TableCell>
                    <TableCell className="font-mono text-xs">lok_{k.prefix}.…</TableCell>
                    <TableCell>
                      <Badge color={k.status === 'active' ? 'emerald' : 'gray'}>{k.status}</Badge>
                    </TableCell>
                    <TableCell>{formatTime(k.created_at)}</TableCell>
                    <TableCell>{k.last_used_at ? formatTime(k.last_used_at) : 'never'}</TableCell>
                    <TableCell>
                      {k.status === 'active' ? (
                        <RevokeButton keyId={k.id} label={`lok_${k.prefix}`} action={revokeApiKeyAction} />
                      ) : (
                        <Text>revoked {formatTime(k.revoked_at)}</Text>
                      )}
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        </Card>
      ) : choice.kind === 'none' || choice.kind === 'unknown' ? (
        <ProjectMissing choice={choice} admin path="/admin/keys" />
      ) : null}
    </>
  );
}
