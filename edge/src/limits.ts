// Request size and count limits of the ingest API; documented in edge/README.md.

/** Largest body accepted as sent (CloudFront truncates origin-request bodies past 1 MB anyway). */
export const MAX_BODY_BYTES = 1_048_576;
/** Largest body after gzip decompression: a gzip bomb is cut off here, mid-stream. */
export const MAX_DECOMPRESSED_BYTES = 10 * 1_048_576;
/** Largest single event (its JSON text as sent); keeps every envelope line far below a Firehose record. */
export const MAX_EVENT_BYTES = 256 * 1024;
/** At most this many issues are reported per rejected event, keeping replies under CloudFront's 1 MB. */
export const MAX_ISSUES_PER_EVENT = 10;
