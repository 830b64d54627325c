// Encodes values for PostgreSQL COPY text format (tab-separated, \N for NULL, backslash escapes).

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const REPLACEMENTS: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** COPY text NULL marker. */
export const COPY_NULL = '\\N';

/** One field: null/undefined become \N; strings are escaped only when they need it (the common case doesn't). */
export function copyField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : COPY_NULL;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  // NUL cannot be stored in PostgreSQL text at all; callers reject such values before they get here.
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (c) => REPLACEMENTS[c] ?? c) : value;
}

/** One row (fields joined by tabs, ending in a newline). */
export function copyRow(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let row = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) row += '\t';
    row += copyField(fields[i]);
  }
  return `${row}\n`;
}
