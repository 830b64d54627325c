// Telemetry event v1 as a valibot schema: the reference definition the fast validator must agree with.
import * as v from 'valibot';
import { KNOWN_KEYS, EVENT_LIMITS as L, EVENT_PATTERNS as P, RESERVED_KEYS } from './event-v1-limits.ts';
import { firstTooDeepUnknown } from './nesting.ts';
import { codePointLengthWithin, isRfc3339Timestamp } from './text.ts';

/** True for a non-null, non-array object with a plain (or null) prototype, as JSON.parse produces. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The message of a free-form value nested too deep (the JSON Schema's `unknown_nested_*` chain). */
export const TOO_DEEP_MESSAGE = `must nest at most ${L.maxUnknownNesting} levels of arrays and objects`;

/**
 * Guard run before every object schema: valibot alone would accept arrays as objects and silently drop
 * reserved keys, whereas JSON Schema rejects both; this keeps the two definitions equivalent. With
 * `known`, the other (unknown, free-form) members are held to the nesting bound, reported at the first
 * container past it.
 */
export function objectGuard(maxEntries?: number, known?: ReadonlySet<string>) {
  return v.rawCheck<unknown>(({ dataset, addIssue }) => {
    const x = dataset.value;
    if (!isPlainObject(x)) {
      addIssue({ message: 'must be an object' });
      return;
    }
    for (const key of RESERVED_KEYS) {
      if (Object.hasOwn(x, key)) {
        addIssue({
          message: 'reserved key is not allowed',
          path: [{ type: 'object', origin: 'key', input: x, key, value: x[key] }],
        });
      }
    }
    if (maxEntries !== undefined && Object.keys(x).length > maxEntries) {
      addIssue({ message: `must have at most ${maxEntries} entries` });
    }
    const deep = known && firstTooDeepUnknown(x, known, L.maxUnknownNesting);
    if (deep) {
      // Only `key` is read from path items (toContractIssues); the rest satisfies valibot's type.
      const path = deep.map((key) => ({ type: 'unknown', origin: 'value', input: x, key, value: undefined }));
      addIssue({
        message: TOO_DEEP_MESSAGE,
        path: path as unknown as [v.IssuePathItem, ...v.IssuePathItem[]],
      });
    }
  });
}

const text = (min: number, max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.check((s) => codePointLengthWithin(s, min, max), `must be ${min} to ${max} characters`),
  );

const patterned = (pattern: string, what: string) =>
  v.pipe(v.string('must be a string'), v.regex(new RegExp(pattern), `must be ${what}`));

const bounded = (max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.minValue(0, 'must be at least 0'),
    v.maxValue(max, `must be at most ${max}`),
  );

const tokens = v.pipe(
  v.number('must be a number'),
  v.integer('must be an integer'),
  v.minValue(0, 'must be at least 0'),
  v.maxValue(L.maxTokens, `must be at most ${L.maxTokens}`),
);

const timestamp = v.pipe(
  v.string('must be a string'),
  v.check(isRfc3339Timestamp, 'must be an RFC 3339 date-time with offset (Z or ±hh:mm)'),
);

/** Flat map of short keys to bounded scalars (attributes, analysis). */
const flatMap = v.pipe(
  v.unknown(),
  objectGuard(L.maxMapEntries),
  v.record(
    patterned(P.mapKey, `a key of 1 to ${L.mapKeyMaxLength} characters [A-Za-z0-9_.:-]`),
    v.union(
      [
        text(0, L.mapStringValueMaxLength),
        v.pipe(v.number(), v.finite('must be a finite number')),
        v.boolean(),
      ],
      'must be a string, number or boolean',
    ),
  ),
);

const looseObject = <E extends v.ObjectEntries>(entries: E, known: ReadonlySet<string>) =>
  v.pipe(v.unknown(), objectGuard(undefined, known), v.looseObject(entries, 'is required'));

/** Reusable RFC 3339 timestamp schema (with offset, real calendar date). */
export const Rfc3339Schema = timestamp;

/** Event v1. Unknown keys are kept at every object level for forward compatibility. */
export const TelemetryEventV1Schema = v.pipe(
  v.unknown(),
  objectGuard(undefined, KNOWN_KEYS.event),
  v.looseObject(
    {
      schema_version: patterned(P.schemaVersion, 'a version "1.<minor>"'),
      event_id: patterned(P.eventId, `1 to ${L.eventIdMaxLength} characters [A-Za-z0-9._:-]`),
      timestamp,
      operation: patterned(P.operation, `1 to ${L.operationMaxLength} characters [a-z0-9_.]`),
      provider: patterned(P.provider, `1 to ${L.providerMaxLength} characters [a-z0-9_.-]`),
      model: text(1, L.modelMaxLength),
      status: v.picklist(['ok', 'error'], 'must be "ok" or "error"'),
      response_model: v.optional(text(1, L.modelMaxLength)),
      duration_ms: v.optional(bounded(L.maxDurationMs)),
      time_to_first_token_ms: v.optional(bounded(L.maxDurationMs)),
      usage: v.optional(
        looseObject(
          {
            input_tokens: v.optional(tokens),
            output_tokens: v.optional(tokens),
            cache_read_input_tokens: v.optional(tokens),
            cache_creation_input_tokens: v.optional(tokens),
          },
          KNOWN_KEYS.usage,
        ),
      ),
      cost_usd: v.optional(bounded(L.maxCostUsd)),
      error: v.optional(
        looseObject(
          {
            type: text(1, L.errorTypeMaxLength),
            message: text(0, L.errorMessageMaxLength),
          },
          KNOWN_KEYS.error,
        ),
      ),
      trace_id: v.optional(patterned(P.traceId, '32 lowercase hex digits')),
      span_id: v.optional(patterned(P.spanId, '16 lowercase hex digits')),
      parent_span_id: v.optional(patterned(P.spanId, '16 lowercase hex digits')),
      session_id: v.optional(text(1, L.opaqueIdMaxLength)),
      user_id: v.optional(text(1, L.opaqueIdMaxLength)),
      environment: v.optional(text(1, L.environmentMaxLength)),
      finish_reasons: v.optional(
        v.pipe(
          v.array(text(1, L.finishReasonMaxLength), 'must be an array'),
          v.maxLength(L.maxFinishReasons, `must have at most ${L.maxFinishReasons} items`),
        ),
      ),
      attributes: v.optional(flatMap),
      analysis: v.optional(flatMap),
      sdk: v.optional(
        looseObject(
          {
            name: text(1, L.sdkFieldMaxLength),
            version: text(1, L.sdkFieldMaxLength),
            language: text(1, L.sdkFieldMaxLength),
          },
          KNOWN_KEYS.sdk,
        ),
      ),
    },
    'is required',
  ),
  v.forward(
    v.partialCheck(
      [['status'], ['error']],
      (e) => e.status !== 'error' || e.error !== undefined,
      'is required when status is "error"',
    ),
    ['error'],
  ),
);

/** A valid telemetry event v1 (unknown keys preserved, typed as `unknown`). */
export type TelemetryEventV1 = v.InferOutput<typeof TelemetryEventV1Schema>;
