// Splits a byte stream into NDJSON lines with bounded memory (over-long lines are reported, not buffered).

/** One line of the object: its text, or a marker that it exceeded the size bound. */
export type NdjsonLine =
  | { lineNumber: number; text: string; tooLong?: undefined }
  | { lineNumber: number; tooLong: true; head: string };

/** Default cap on one line; an envelope with a maximal event stays far below it. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Yields the lines of a stream in groups (one group per input chunk, so the consumer pays one await
 * per chunk, not per line). Line numbers start at 1 and count every line, blank ones included (blank
 * lines are skipped). A final line without a trailing newline is still yielded: a truncated object
 * then shows up as one bad line. Memory held is at most one chunk plus `maxLineBytes`.
 */
export async function* ndjsonLines(
  source: AsyncIterable<Buffer | string>,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<NdjsonLine[]> {
  let lineNumber = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false; // inside an over-long line, dropping bytes until its newline
  let skippedHead = '';

  const emit = (out: NdjsonLine[], bytes: Buffer): void => {
    lineNumber += 1;
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x0d)) return;
    out.push({ lineNumber, text: bytes.toString('utf8') });
  };

  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const out: NdjsonLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      if (skipping) {
        lineNumber += 1;
        out.push({ lineNumber, tooLong: true, head: skippedHead });
        skipping = false;
      } else if (pendingBytes > 0) {
        if (pendingBytes + (nl - start) > maxLineBytes) {
          lineNumber += 1;
          out.push({
            lineNumber,
            tooLong: true,
            head: Buffer.concat(pending).subarray(0, 256).toString('utf8'),
          });
        } else {
          pending.push(chunk.subarray(start, nl));
          emit(out, Buffer.concat(pending));
        }
        pending = [];
        pendingBytes = 0;
      } else if (nl - start > maxLineBytes) {
        lineNumber += 1;
        out.push({ lineNumber, tooLong: true, head: chunk.subarray(start, start + 256).toString('utf8') });
      } else {
        emit(out, chunk.subarray(start, nl));
      }
      start = nl + 1;
    }
    if (start < chunk.length && !skipping) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > maxLineBytes) {
        skippedHead = (pendingBytes > 0 ? Buffer.concat(pending) : rest).subarray(0, 256).toString('utf8');
        skipping = true;
        pending = [];
        pendingBytes = 0;
      } else {
        // Copy: the chunk's memory may be reused by the producer.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
    if (out.length > 0) yield out;
  }
  const tail: NdjsonLine[] = [];
  if (skipping) {
    lineNumber += 1;
    tail.push({ lineNumber, tooLong: true, head: skippedHead });
  } else if (pendingBytes > 0) {
    emit(tail, Buffer.concat(pending));
  }
  if (tail.length > 0) yield tail;
}
