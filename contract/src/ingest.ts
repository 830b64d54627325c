// Ingest HTTP API shapes: the batch request and every response body of POST /v1/events.
import type { ContractIssue } from './issues.ts';

/** Most events in one `POST /v1/events` batch. */
export const MAX_EVENTS_PER_BATCH = 1000;

/** Request body: `{"events":[…]}` with 1 to MAX_EVENTS_PER_BATCH events (each validated separately). */
export type IngestBatchV1 = { events: unknown[] };

/** One rejected event of a batch: its index, its event_id when one could be read, and its issues. */
export type RejectedEvent = { index: number; event_id?: string; errors: ContractIssue[] };

/** 202 body: how many events were accepted, which were rejected. */
export type IngestAccepted = { accepted: number; rejected: RejectedEvent[]; request_id: string };

/** Every `error.code` the ingest API answers with. */
export type IngestErrorCode =
  | 'invalid_json'
  | 'invalid_batch'
  | 'all_events_rejected'
  | 'missing_api_key'
  | 'malformed_api_key'
  | 'invalid_api_key'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

/** Body of every non-2xx answer; `rejected` only with `all_events_rejected`. */
export type IngestErrorBody = {
  error: { code: IngestErrorCode; message?: string };
  rejected?: RejectedEvent[];
  request_id?: string;
};

/** Checks the batch envelope only (`{"events":[1..1000 items]}`); never throws. */
export function parseBatch(input: unknown): { ok: true; events: unknown[] } | { ok: false; message: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, message: 'body must be an object {"events":[…]}' };
  }
  const events = (input as { events?: unknown }).events;
  if (!Array.isArray(events)) return { ok: false, message: 'events must be an array' };
  if (events.length === 0) return { ok: false, message: 'events must not be empty' };
  if (events.length > MAX_EVENTS_PER_BATCH) {
    return { ok: false, message: `events must have at most ${MAX_EVENTS_PER_BATCH} items` };
  }
  return { ok: true, events };
}

const EVENT_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** The event_id of a (possibly invalid) event, only when it is well-formed and thus safe to echo back. */
export function eventIdOf(event: unknown): string | undefined {
  try {
    if (typeof event !== 'object' || event === null) return undefined;
    const id = (event as { event_id?: unknown }).event_id;
    return typeof id === 'string' && EVENT_ID_RE.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
