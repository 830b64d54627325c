// Packs envelope lines straight into Firehose record buffers (≤ 1000 KiB each); the sink groups calls.

/** Firehose hard limits. */
export const FIREHOSE_LIMITS = {
  maxRecordBytes: 1000 * 1024,
  maxRecordsPerCall: 500,
  maxBytesPerCall: 4 * 1024 * 1024,
} as const;

const CLOSE = Buffer.from('}\n');

/**
 * Writes one NDJSON line per raw event — `head + raw + "}\n"` — into records of at most
 * `maxRecordBytes`; a line is never split (the loader reads records as NDJSON). No intermediate line
 * strings are built: sizes are computed first (for an all-ASCII body, bytes = string length) and each
 * record is filled with direct buffer writes. A line longer than the limit (impossible with the
 * per-event cap) would get a record of its own, which Firehose rejects: the request fails (503), it is
 * never lost silently.
 */
export function packEnvelopes(
  head: string,
  raws: readonly string[],
  asciiRaws: boolean,
  maxRecordBytes: number = FIREHOSE_LIMITS.maxRecordBytes,
): Buffer[] {
  // The head is the same on every line: encode it once and copy the bytes (cheaper than re-encoding).
  const headBuffer = Buffer.from(head, 'utf8');
  const headBytes = headBuffer.byteLength;
  const rawEncoding = asciiRaws ? 'latin1' : 'utf8';
  const sizes = raws.map(
    (raw) => headBytes + (asciiRaws ? raw.length : Buffer.byteLength(raw)) + CLOSE.length,
  );
  const records: Buffer[] = [];
  let first = 0;
  while (first < raws.length) {
    let last = first;
    let total = sizes[first] as number;
    while (last + 1 < raws.length && total + (sizes[last + 1] as number) <= maxRecordBytes) {
      last++;
      total += sizes[last] as number;
    }
    const record = Buffer.allocUnsafe(total);
    let offset = 0;
    for (let i = first; i <= last; i++) {
      offset += headBuffer.copy(record, offset);
      offset += record.write(raws[i] as string, offset, rawEncoding);
      offset += CLOSE.copy(record, offset);
    }
    records.push(record);
    first = last + 1;
  }
  return records;
}
