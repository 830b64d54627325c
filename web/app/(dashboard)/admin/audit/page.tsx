// Admin · Audit log: every admin action with its actor, newest first, paged with the API's cursor.
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
import { ErrorPanel } from '../../../../components/error-panel.tsx';
import { PageLinks } from '../../../../components/page-links.tsx';
import { regionalApi } from '../../../../lib/api.ts';
import { errorView } from '../../../../lib/api-errors.ts';
import type { AuditItem, Page } from '../../../../lib/api-types.ts';
import { formatTime } from '../../../../lib/format.ts';
import { param, type SearchParams } from '../../../../lib/params.ts';
import { requireSession } from '../../../../lib/session.ts';

/** `/admin/audit?cursor=`. */
export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const session = await requireSession('/admin/audit');
  const cursor = param(sp, 'cursor');
  let page: Page<AuditItem>;
  try {
    page = await regionalApi(session).auditLogs(cursor);
  } catch (error) {
    return (
      <>
        <Title>Admin</Title>
        <ErrorPanel view={errorView(error)} returnTo="/admin/audit" />
      </>
    );
  }
  return (
    <>
      <Title className="mb-4">Admin</Title>
      <AdminTabs current="audit" />
      <Card>
        <Title>Audit log</Title>
        <Text>Every change to projects and keys, with who made it.{cursor ? ' Older entries.' : ''}</Text>
        <Table className="mt-4" data-testid="audit-table">
          <TableHead>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Actor</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
              <TableHeaderCell>Details</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {page.items.length === 0 ? (
              <TableRow>
                <TableCell colSpan={5}>No entries.</TableCell>
              </TableRow>
            ) : (
              page.items.map((item) => (
                <TableRow key={item.id} data-testid="audit-row">
                  <TableCell>{formatTime(item.at)}</TableCell>
                  <TableCell>{item.actor.email ?? item.actor.sub}</TableCell>
                  <TableCell>
                    <Badge color={item.action.endsWith('revoke') ? 'rose' : 'blue'}>{item.action}</Badge>
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {item.target_type} {item.target_id ?? ''}
                  </TableCell>
                  <TableCell className="max-w-md truncate font-mono text-xs">
                    {JSON.stringify(item.details)}
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
        <Flex justifyContent="end" className="mt-4 gap-4">
          <PageLinks
            first={cursor ? { href: '/admin/audit', label: '← Newest' } : null}
            next={
              page.next_cursor
                ? {
                    href: `/admin/audit?cursor=${encodeURIComponent(page.next_cursor)}`,
                    label: 'Older →',
                  }
                : null
            }
            end="End of log"
          />
        </Flex>
      </Card>
    </>
  );
}
