// GET /api/export: the explorer's current filter as a CSV or JSONL download, streamed while paging the API.
import type { NextRequest } from 'next/server';
import { regionalApi } from '../../../lib/api.ts';
import { ApiError } from '../../../lib/api-errors.ts';
import { readFilters } from '../../../lib/event-filters.ts';
import { EXPORT_ROW_CAP, type ExportFormat, type ExportPage, exportStream } from '../../../lib/export.ts';
import { ALL_PROJECTS } from '../../../lib/params.ts';
import { resolveRange } from '../../../lib/range.ts';
import { getSession } from '../../../lib/session.ts';

export const dynamic = 'force-dynamic';

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

function text(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * `?format=csv|jsonl&project=&range=&from=&to=&<explorer filters>`. The regional API answers at most
 * one bounded page per call (it sits behind API Gateway, whose answers are buffered and capped), so
 * this handler walks the keyset cursor and streams each page on, up to EXPORT_ROW_CAP rows. The first
 * page is fetched before answering, so a refused filter is still a 4xx; later failures and the cap
 * end the file with a trailer line (`lib/export.ts`).
 */
export async function GET(request: NextRequest): Promise<Response> {
  const session = await getSession();
  if (!session) return text(401, 'Sign in to export.');
  const sp = Object.fromEntries(request.nextUrl.searchParams);
  const format = sp.format === 'jsonl' ? 'jsonl' : sp.format === 'csv' ? 'csv' : undefined;
  if (!format) return text(400, 'format must be csv or jsonl');
  const range = resolveRange(sp.range, new Date());
  const from = sp.from || range.from;
  const to = sp.to || range.to;
  const project = sp.project && sp.project !== ALL_PROJECTS ? sp.project : undefined;
  const api = regionalApi(session);
  const query = { project_id: project, from, to, ...readFilters(sp) };
  const page = (cursor?: string) => api.exportPage({ ...query, cursor }) as Promise<ExportPage>;
  let first: ExportPage;
  try {
    first = await page();
  } catch (error) {
    if (error instanceof ApiError) return text(error.status, error.message);
    throw error;
  }
  const name = `events-${from.slice(0, 16).replace(/[^0-9T]/g, '')}-${to.slice(0, 16).replace(/[^0-9T]/g, '')}.${format}`;
  return new Response(exportStream({ format, first, next: page }), {
    headers: {
      'content-type': TYPES[format],
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-export-row-limit': String(EXPORT_ROW_CAP),
    },
  });
}
