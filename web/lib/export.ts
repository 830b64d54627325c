// Explorer export: CSV (formula-safe) or JSONL lines streamed while paging the API's keyset cursor, capped, with a trailer when cut short.

/** Export formats. */
export type ExportFormat = 'csv' | 'jsonl';

/** Most rows one export holds; past it the file ends with a truncation trailer. */
export const EXPORT_ROW_CAP = 100_000;

/** One explorer page as the API answers it (items are events as sent plus project and arrival). */
export type ExportPage = { items: Array<Record<string, unknown>>; next_cursor: string | null };

/** CSV columns: the event's fields flattened; `attributes` stays one JSON cell. */
export const CSV_COLUMNS = [
  'event_id',
  'timestamp',
  'received_at',
  'project_id',
  'operation',
  'provider',
  'model',
  'status',
  'environment',
  'duration_ms',
  'time_to_first_token_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'error_type',
  'error_message',
  'trace_id',
  'span_id',
  'parent_span_id',
  'user_id',
  'session_id',
  'attributes',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (starting with = + - @,
 * tab or CR) gets a leading apostrophe; numbers are written as numbers (a negative number is data).
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function field(item: Record<string, unknown>, column: (typeof CSV_COLUMNS)[number]): unknown {
  const usage = (item.usage ?? {}) as Record<string, unknown>;
  const error = (item.error ?? {}) as Record<string, unknown>;
  switch (column) {
    case 'input_tokens':
    case 'output_tokens':
      return usage[column];
    case 'error_type':
      return error.type;
    case 'error_message':
      return error.message;
    default:
      return item[column];
  }
}

/** One event as a CSV line (CRLF-terminated). */
export function csvLine(item: Record<string, unknown>): string {
  return `${CSV_COLUMNS.map((c) => csvCell(field(item, c))).join(',')}\r\n`;
}

/** The trailer line that says the file is incomplete: cut at the cap, or the API failed mid-way. */
export function trailer(
  format: ExportFormat,
  why: { truncated: true; rows: number; cap: number } | { error: string; rows: number },
): string {
  const message =
    'truncated' in why
      ? `export truncated at ${why.rows} rows (limit ${why.cap}): narrow the range or filters`
      : `export failed after ${why.rows} rows: ${why.error}`;
  if (format === 'jsonl') return `${JSON.stringify({ _export: { ...why, message } })}\n`;
  // A row of its own whose first cell starts with '#', which no event id can.
  return `${csvCell(`# ${message}`)}\r\n`;
}

/** What the stream needs: the first page (already fetched, so a refused query can still answer 4xx) and how to get the next. */
export type ExportSource = {
  format: ExportFormat;
  first: ExportPage;
  next: (cursor: string) => Promise<ExportPage>;
  cap?: number;
};

/**
 * The export as a byte stream: the header (CSV), then one line per event, one API page per pull (so
 * a slow reader holds back the paging), at most `cap` rows; when more rows exist past the cap, or a
 * later page fails, a trailer line says so.
 */
export function exportStream(source: ExportSource): ReadableStream<Uint8Array> {
  const cap = source.cap ?? EXPORT_ROW_CAP;
  const encoder = new TextEncoder();
  const line = source.format === 'csv' ? csvLine : (i: Record<string, unknown>) => `${JSON.stringify(i)}\n`;
  let page: ExportPage = source.first;
  let rows = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let out = '';
      if (!started) {
        started = true;
        if (source.format === 'csv') out += `${CSV_COLUMNS.join(',')}\r\n`;
      }
      try {
        const room = cap - rows;
        const items = page.items.slice(0, room);
        for (const item of items) out += line(item);
        rows += items.length;
        const more = page.items.length > items.length || page.next_cursor !== null;
        if (more && rows >= cap) {
          controller.enqueue(encoder.encode(out + trailer(source.format, { truncated: true, rows, cap })));
          controller.close();
          return;
        }
        if (page.next_cursor === null) {
          controller.enqueue(encoder.encode(out));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(out));
        page = await source.next(page.next_cursor);
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'unknown error';
        controller.enqueue(encoder.encode(trailer(source.format, { error: reason, rows })));
        controller.close();
      }
    },
  });
}
