// Tells a database error caused by a line's content (isolate that line) from an infrastructure one (retry all).

/**
 * SQLSTATE classes PostgreSQL raises for what a value is, not for the state of the server: 22 data
 * exception (a timestamp or number out of range, bad JSON, bad encoding), 23 integrity constraint
 * violation (a NOT NULL or CHECK on a column), 54 program limit exceeded (stack depth of nested JSON,
 * a value too large). Everything else (connection lost, timeouts 57014, out of memory, deadlocks,
 * read-only, no error code at all) says nothing about the line and retries the whole object.
 */
const CONTENT_CLASSES = new Set(['22', '23', '54']);

/** True when `error` is a PostgreSQL error about the data it was given. */
export function isContentError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 && CONTENT_CLASSES.has(code.slice(0, 2));
}
