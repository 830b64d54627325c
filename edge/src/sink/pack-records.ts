// Packs NDJSON lines into Firehose records (≤ 1000 KiB each); the sink groups records into calls.

/** Firehose hard limits (design §6). */
export const FIREHOSE_LIMITS = {
  maxRecordBytes: 1000 * 1024,
  maxRecordsPerCall: 500,
  maxBytesPerCall: 4 * 1024 * 1024,
} as const;

/**
 * Concatenates whole lines into records of at most `maxRecordBytes`; a line is never split (the loader
 * reads records as NDJSON). Lines longer than the limit are impossible given the per-event cap; should
 * one occur it gets a record of its own and Firehose rejects it, which fails the request (503), never
 * loses it silently.
 */
export function packRecords(
  lines: readonly string[],
  maxRecordBytes: number = FIREHOSE_LIMITS.maxRecordBytes,
): Buffer[] {
  const records: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line);
    if (size > 0 && size + bytes > maxRecordBytes) {
      records.push(Buffer.from(parts.join('')));
      parts = [];
      size = 0;
    }
    parts.push(line);
    size += bytes;
  }
  if (size > 0) records.push(Buffer.from(parts.join('')));
  return records;
}
