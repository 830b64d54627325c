// Turns one NDJSON line into one staging row (a good event, or a rejected line with its reason).
import { topLevelObjectMember, validateEnvelope } from '../../contract/index.ts';
import { copyRow } from './copy-text.ts';
import type { NdjsonLine } from './ndjson-lines.ts';

/** Why a line was not loaded (stored in dead_letters.reason). */
export type RejectReason = 'line_too_long' | 'invalid_json' | 'invalid_envelope' | 'out_of_range';

/** dead_letters.reason of a valid line whose content the database refused (the quarantine). */
export const QUARANTINE_REASON = 'rejected_by_database';

/**
 * Staging table columns, in COPY order. Rejected lines carry reason/detail/line; good ones the
 * extracted columns and the event text. Kept as text where the final table's type is checked on insert
 * (event → json) so a row can never fail COPY itself.
 */
export const STAGE_COLUMNS = [
  'line_no integer NOT NULL',
  'reason text',
  'detail text',
  'line text',
  'org_id uuid',
  'project_id uuid',
  'key_id uuid',
  'event_id text',
  'ts timestamptz',
  'received_at timestamptz',
  'operation text',
  'provider text',
  'model text',
  'status text',
  'environment text',
  'duration_ms double precision',
  'input_tokens bigint',
  'output_tokens bigint',
  'cache_read_input_tokens bigint',
  'cache_creation_input_tokens bigint',
  'cost_usd numeric',
  'request_id text',
  'trace_id text',
  'user_id text',
  'session_id text',
  'error_type text',
  'event text',
] as const;

/** How much of a rejected line is kept for triage (the whole object stays in S3 for replay). */
export const MAX_DEAD_LINE_CHARS = 8192;
const MAX_DETAIL_CHARS = 2000;
const MS_PER_DAY = 86_400_000;

/** Days (UTC, as epoch-day numbers) that have a telemetry partition. */
export type PartitionDays = ReadonlySet<number>;

/** Counters kept while staging, reported per object. */
export interface StageCounts {
  lines: number;
  good: number;
  rejected: number;
}

const NUL = String.fromCharCode(0);

function clip(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  // PostgreSQL text cannot hold NUL; a corrupted line may contain raw ones.
  return cut.includes(NUL) ? cut.replaceAll(NUL, '\ufffd') : cut;
}

function rejectRow(
  lineNumber: number,
  reason: RejectReason,
  detail: string | null,
  line: string,
  ids?: { org: unknown; project: unknown },
): string {
  const org = typeof ids?.org === 'string' ? ids.org : null;
  const project = typeof ids?.project === 'string' ? ids.project : null;
  return copyRow([
    lineNumber,
    reason,
    detail === null ? null : clip(detail, MAX_DETAIL_CHARS),
    clip(line, MAX_DEAD_LINE_CHARS),
    org,
    project,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ]);
}

/** RFC 3339 forms PostgreSQL reads exactly as JavaScript does (at most microseconds: no rounding). */
const PLAIN_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/** PostgreSQL refuses UTC offsets of 16 hours or more; RFC 3339 (and so contract v1) allows up to 23:59. */
const MAX_PG_OFFSET_HOURS = 15;

/**
 * `text` (in the PLAIN_TIMESTAMP form) as the same instant in UTC, keeping the seconds and fraction as
 * sent: the offset is whole minutes, so only the minutes and above move.
 */
function toUtcKeepingFraction(text: string): string {
  const n = text.length;
  const sign = text[n - 6] === '-' ? -1 : 1;
  const offsetMin = Number(text.slice(n - 5, n - 3)) * 60 + Number(text.slice(n - 2));
  const localMinute = Date.UTC(
    Number(text.slice(0, 4)),
    Number(text.slice(5, 7)) - 1,
    Number(text.slice(8, 10)),
    Number(text.slice(11, 13)),
    Number(text.slice(14, 16)),
  );
  const utcMinute = new Date(localMinute - sign * offsetMin * 60_000).toISOString();
  return `${utcMinute.slice(0, 17)}${text.slice(17, n - 6)}Z`;
}

/**
 * The timestamp as PostgreSQL should read it, or null when JavaScript cannot place it in time. The
 * common form passes through as sent (no Date formatting per row, microseconds kept), except an offset
 * PostgreSQL refuses (±16:00 to ±23:59), which is rewritten to UTC; other valid RFC 3339 spellings are
 * normalised to UTC milliseconds. Either way the same input always maps to the same instant, which is
 * what the dedupe key needs.
 */
export function pgTimestamp(text: string, ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  if (!PLAIN_TIMESTAMP.test(text)) return new Date(ms).toISOString();
  if (text.endsWith('Z') || Number(text.slice(-5, -3)) <= MAX_PG_OFFSET_HOURS) return text;
  return toUtcKeepingFraction(text);
}

type Usage = {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
};

/** U+0000 escapes in JSON text (`\u0000` after an even run of backslashes, so `\\u0000` is left alone). */
const NUL_ESCAPE_RE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * PostgreSQL text (and json values read as text) cannot hold U+0000. An event that contract v1
 * accepted and the edge acknowledged must not be lost for it, so U+0000 becomes U+FFFD (the
 * replacement character) in the stored columns and the stored event text alike: deterministic, so the
 * same event always maps to the same row and the dedupe key still works.
 */
export function storableText(s: string): string {
  return s.includes(NUL) ? s.replaceAll(NUL, '\ufffd') : s;
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);

/** The UTF-16 unit of the `\uXXXX` escape starting at `i` (at the backslash), or -1. */
function escapedUnit(json: string, i: number): number {
  if (json.charCodeAt(i) !== 92 || json.charCodeAt(i + 1) !== 117) return -1;
  for (let k = i + 2; k < i + 6; k++) if (!isHex(json.charCodeAt(k))) return -1;
  return Number.parseInt(json.slice(i + 2, i + 6), 16);
}

/**
 * Replaces escapes of unpaired surrogates (`\ud800` without a low surrogate after it, or a lone
 * `\udc00`) with `\ufffd`. JavaScript's JSON.parse accepts them, PostgreSQL's json input stores
 * them, but every json operator (`->>`, `::jsonb`) then refuses the row: the event would be stored
 * and unreadable. They encode no character, so U+FFFD (as the UTF-8 decoder does for raw ones) is
 * the faithful replacement, and deterministic for the dedupe key.
 */
function withoutLoneSurrogates(json: string): string {
  let out = '';
  let from = 0;
  for (let i = json.indexOf('\\'); i !== -1 && i < json.length; i = json.indexOf('\\', i)) {
    const unit = escapedUnit(json, i);
    if (unit === -1) {
      i += 2; // any other escape (including an escaped backslash) is two characters
      continue;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = escapedUnit(json, i + 6);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 12;
        continue;
      }
    } else if (unit < 0xdc00 || unit > 0xdfff) {
      i += 6;
      continue;
    }
    out += `${json.slice(from, i)}\\ufffd`;
    i += 6;
    from = i;
  }
  return from === 0 ? json : out + json.slice(from);
}

const LONE_SURROGATE_HINT = /\\u[dD][89a-fA-F]/;

/** The event's JSON text with U+0000 and unpaired-surrogate escapes replaced by U+FFFD (see storableText). */
export function storableJson(json: string): string {
  const noNul = json.includes('\\u0000') ? json.replace(NUL_ESCAPE_RE, '$1\\ufffd') : json;
  return LONE_SURROGATE_HINT.test(noNul) ? withoutLoneSurrogates(noNul) : noNul;
}

/**
 * Encodes one line as a staging row. Never throws: anything wrong with the line becomes a rejected
 * row, so one bad line can never fail the COPY of the good ones. The event JSON keeps the original text.
 */
export function stageRow(item: NdjsonLine, days: PartitionDays, counts: StageCounts): string {
  counts.lines += 1;
  if (item.tooLong) {
    counts.rejected += 1;
    return rejectRow(item.lineNumber, 'line_too_long', null, item.head);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.text);
  } catch (error) {
    counts.rejected += 1;
    return rejectRow(item.lineNumber, 'invalid_json', (error as Error).message, item.text);
  }
  const result = validateEnvelope(parsed);
  if (!result.ok) {
    counts.rejected += 1;
    const p = parsed as { org_id?: unknown; project_id?: unknown } | null;
    const ids = p && typeof p === 'object' ? { org: p.org_id, project: p.project_id } : undefined;
    // Only ids that passed as UUIDs may go into uuid columns.
    const uuidIssue = result.issues.some((i) => i.path === 'org_id' || i.path === 'project_id');
    return rejectRow(
      item.lineNumber,
      'invalid_envelope',
      JSON.stringify(result.issues),
      item.text,
      uuidIssue ? undefined : ids,
    );
  }
  const env = result.envelope;
  const ev = result.event as Record<string, unknown> & {
    event_id: string;
    timestamp: string;
    operation: string;
    provider: string;
    model: string;
    status: string;
    environment?: string;
    duration_ms?: number;
    usage?: Usage;
    cost_usd?: number;
    trace_id?: string;
    user_id?: string;
    session_id?: string;
    error?: { type?: string };
  };
  const ids = { org: env.org_id, project: env.project_id };
  const tsMs = Date.parse(ev.timestamp);
  const ts = pgTimestamp(ev.timestamp, tsMs);
  const receivedAt = pgTimestamp(env.received_at, Date.parse(env.received_at));
  if (ts === null || receivedAt === null || !days.has(Math.floor(tsMs / MS_PER_DAY))) {
    counts.rejected += 1;
    return rejectRow(
      item.lineNumber,
      'out_of_range',
      `timestamp ${ev.timestamp} has no partition`,
      item.text,
      ids,
    );
  }
  const usage = ev.usage;
  counts.good += 1;
  return copyRow([
    item.lineNumber,
    null,
    null,
    null,
    env.org_id,
    env.project_id,
    env.key_id,
    storableText(ev.event_id),
    ts,
    receivedAt,
    ev.operation,
    ev.provider,
    storableText(ev.model),
    ev.status,
    storableText(ev.environment ?? ''),
    ev.duration_ms,
    usage?.input_tokens,
    usage?.output_tokens,
    usage?.cache_read_input_tokens,
    usage?.cache_creation_input_tokens,
    ev.cost_usd,
    storableText(env.request_id),
    ev.trace_id,
    ev.user_id === undefined ? undefined : storableText(ev.user_id),
    ev.session_id === undefined ? undefined : storableText(ev.session_id),
    ev.error?.type === undefined ? undefined : storableText(ev.error.type),
    // The event's own text from the line (cheaper than re-serialising, keeps the edge's key order).
    storableJson(topLevelObjectMember(item.text, 'event') ?? JSON.stringify(ev)),
  ]);
}
