// Envelope v1: one NDJSON line per event, edge → Firehose → loader.
import * as v from 'valibot';
import { isValidEventFast } from './event-v1-fast.ts';
import type { TelemetryEventV1 } from './event-v1-schema.ts';
import { isPlainObject, objectGuard, Rfc3339Schema, TelemetryEventV1Schema } from './event-v1-schema.ts';
import { type ContractIssue, toContractIssues } from './issues.ts';
import { codePointLengthWithin, isRfc3339Timestamp } from './text.ts';

/** Lower- or upper-case canonical UUID text (ids of orgs, projects and keys). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID_RE = new RegExp(UUID_PATTERN);

/** Bounds of the envelope's own fields. */
export const ENVELOPE_LIMITS = { edgeRegionMaxLength: 64, requestIdMaxLength: 128 } as const;

const uuid = v.pipe(v.string('must be a string'), v.regex(UUID_RE, 'must be a UUID'));
const text = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.check((s) => codePointLengthWithin(s, 1, max), `must be 1 to ${max} characters`),
  );

/** Envelope v1 as a valibot schema; unknown keys kept (later 1.x envelopes may add fields). */
export const EnvelopeV1Schema = v.pipe(
  v.unknown(),
  objectGuard(),
  v.looseObject(
    {
      v: v.literal(1, 'must be 1'),
      org_id: uuid,
      project_id: uuid,
      key_id: uuid,
      received_at: Rfc3339Schema,
      edge_region: text(ENVELOPE_LIMITS.edgeRegionMaxLength),
      request_id: text(ENVELOPE_LIMITS.requestIdMaxLength),
      event: TelemetryEventV1Schema,
    },
    'is required',
  ),
);

/** One envelope line: who sent the event (from the key, never from the body), when and where it arrived. */
export type EnvelopeV1 = {
  v: 1;
  org_id: string;
  project_id: string;
  key_id: string;
  /** RFC 3339 */
  received_at: string;
  edge_region: string;
  request_id: string;
  event: TelemetryEventV1;
};

/** Result of validateEnvelope: the envelope and, for convenience, its event; or issues (`event.`-prefixed). */
export type EnvelopeResult =
  | { ok: true; envelope: EnvelopeV1; event: TelemetryEventV1 }
  | { ok: false; issues: ContractIssue[] };

function isValidEnvelopeFast(x: unknown): x is EnvelopeV1 {
  if (!isPlainObject(x) || Object.hasOwn(x, '__proto__') || Object.hasOwn(x, 'constructor')) return false;
  if (Object.hasOwn(x, 'prototype')) return false;
  return (
    x.v === 1 &&
    typeof x.org_id === 'string' &&
    UUID_RE.test(x.org_id) &&
    typeof x.project_id === 'string' &&
    UUID_RE.test(x.project_id) &&
    typeof x.key_id === 'string' &&
    UUID_RE.test(x.key_id) &&
    typeof x.received_at === 'string' &&
    isRfc3339Timestamp(x.received_at) &&
    typeof x.edge_region === 'string' &&
    codePointLengthWithin(x.edge_region, 1, ENVELOPE_LIMITS.edgeRegionMaxLength) &&
    typeof x.request_id === 'string' &&
    codePointLengthWithin(x.request_id, 1, ENVELOPE_LIMITS.requestIdMaxLength) &&
    isValidEventFast(x.event)
  );
}

/** Validates one parsed envelope line. Never throws; valid envelopes are returned as given. */
export function validateEnvelope(input: unknown): EnvelopeResult {
  try {
    if (isValidEnvelopeFast(input)) return { ok: true, envelope: input, event: input.event };
    const result = v.safeParse(EnvelopeV1Schema, input);
    if (result.success) {
      const envelope = result.output as EnvelopeV1;
      return { ok: true, envelope, event: envelope.event };
    }
    return { ok: false, issues: toContractIssues(result.issues) };
  } catch {
    return { ok: false, issues: [{ path: '', message: 'could not be read as an envelope' }] };
  }
}

/** Serializes an envelope as one NDJSON line (with its trailing newline). */
export function toNdjsonLine(envelope: EnvelopeV1): string {
  return `${JSON.stringify(envelope)}\n`;
}
