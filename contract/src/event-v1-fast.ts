// Allocation-free yes/no check of event v1 for the hot path; must agree exactly with TelemetryEventV1Schema.
import { KNOWN_KEYS, EVENT_LIMITS as L } from './event-v1-limits.ts';
import { isPlainObject } from './event-v1-schema.ts';
import { firstTooDeepUnknown } from './nesting.ts';
import { asciiCharsetMatcher, codePointLengthWithin, isRfc3339Timestamp } from './text.ts';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

// Table-driven equivalents of EVENT_PATTERNS (asserted against the regexes by text.property.test.ts).
const isEventId = asciiCharsetMatcher(`${UPPER}${LOWER}${DIGITS}._:-`, 1, L.eventIdMaxLength);
const isOperation = asciiCharsetMatcher(`${LOWER}${DIGITS}_.`, 1, L.operationMaxLength);
const isProvider = asciiCharsetMatcher(`${LOWER}${DIGITS}_.-`, 1, L.providerMaxLength);
const isTraceId = asciiCharsetMatcher(HEX, 32, 32);
const isSpanId = asciiCharsetMatcher(HEX, 16, 16);
const isMapKey = asciiCharsetMatcher(`${UPPER}${LOWER}${DIGITS}_.:-`, 1, L.mapKeyMaxLength);
const isMinorDigits = asciiCharsetMatcher(DIGITS, 1, 4);

/** `^1\.(?:0|[1-9][0-9]{0,3})$` without the regex engine. */
function isSchemaVersion(s: string): boolean {
  if (s.charCodeAt(0) !== 49 || s.charCodeAt(1) !== 46) return false; // "1."
  const minor = s.slice(2);
  return isMinorDigits(minor) && (minor === '0' || minor.charCodeAt(0) !== 48);
}

/** The matchers above, keyed like EVENT_PATTERNS, so tests can hold each against its regex. */
export const FAST_MATCHERS = {
  schemaVersion: isSchemaVersion,
  eventId: isEventId,
  operation: isOperation,
  provider: isProvider,
  traceId: isTraceId,
  spanId: isSpanId,
  mapKey: isMapKey,
} as const;

const hasOwn = Object.prototype.hasOwnProperty;

/** A plain object without `__proto__`, `constructor` or `prototype` own keys (see objectGuard). */
function isSafeObject(x: unknown): x is Record<string, unknown> {
  return (
    isPlainObject(x) &&
    !hasOwn.call(x, '__proto__') &&
    !hasOwn.call(x, 'constructor') &&
    !hasOwn.call(x, 'prototype')
  );
}

/** Unknown members of `x` within the nesting bound (a walk only for object-valued unknown members). */
function shallowUnknowns(x: Record<string, unknown>, known: ReadonlySet<string>): boolean {
  return firstTooDeepUnknown(x, known, L.maxUnknownNesting) === null;
}

function matches(x: unknown, matcher: (s: string) => boolean): boolean {
  return typeof x === 'string' && matcher(x);
}

function text(x: unknown, min: number, max: number): boolean {
  return typeof x === 'string' && codePointLengthWithin(x, min, max);
}

function optText(x: unknown, min: number, max: number): boolean {
  return x === undefined || (typeof x === 'string' && codePointLengthWithin(x, min, max));
}

function optBounded(x: unknown, max: number): boolean {
  // NaN fails both comparisons, as valibot's number() rejects it.
  return x === undefined || (typeof x === 'number' && x >= 0 && x <= max);
}

function optTokens(x: unknown): boolean {
  return x === undefined || (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= L.maxTokens);
}

function optFlatMap(x: unknown): boolean {
  if (x === undefined) return true;
  if (!isSafeObject(x)) return false;
  let n = 0;
  for (const key in x) {
    if (!hasOwn.call(x, key)) continue;
    if (++n > L.maxMapEntries || !isMapKey(key)) return false;
    const value = x[key];
    if (typeof value === 'string') {
      if (!codePointLengthWithin(value, 0, L.mapStringValueMaxLength)) return false;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return false;
    } else if (typeof value !== 'boolean') {
      return false;
    }
  }
  return true;
}

function optUsage(x: unknown): boolean {
  if (x === undefined) return true;
  return (
    isSafeObject(x) &&
    optTokens(x.input_tokens) &&
    optTokens(x.output_tokens) &&
    optTokens(x.cache_read_input_tokens) &&
    optTokens(x.cache_creation_input_tokens) &&
    shallowUnknowns(x, KNOWN_KEYS.usage)
  );
}

function optError(x: unknown): boolean {
  if (x === undefined) return true;
  return (
    isSafeObject(x) &&
    text(x.type, 1, L.errorTypeMaxLength) &&
    text(x.message, 0, L.errorMessageMaxLength) &&
    shallowUnknowns(x, KNOWN_KEYS.error)
  );
}

function optSdk(x: unknown): boolean {
  if (x === undefined) return true;
  const max = L.sdkFieldMaxLength;
  return (
    isSafeObject(x) &&
    text(x.name, 1, max) &&
    text(x.version, 1, max) &&
    text(x.language, 1, max) &&
    shallowUnknowns(x, KNOWN_KEYS.sdk)
  );
}

function optFinishReasons(x: unknown): boolean {
  if (x === undefined) return true;
  if (!Array.isArray(x) || x.length > L.maxFinishReasons) return false;
  for (let i = 0; i < x.length; i++) {
    if (!text(x[i], 1, L.finishReasonMaxLength)) return false;
  }
  return true;
}

/** True exactly when TelemetryEventV1Schema accepts `x` (proved by the contract tests). */
export function isValidEventFast(x: unknown): boolean {
  if (!isSafeObject(x)) return false;
  const status = x.status;
  return (
    matches(x.schema_version, isSchemaVersion) &&
    matches(x.event_id, isEventId) &&
    typeof x.timestamp === 'string' &&
    isRfc3339Timestamp(x.timestamp) &&
    matches(x.operation, isOperation) &&
    matches(x.provider, isProvider) &&
    text(x.model, 1, L.modelMaxLength) &&
    (status === 'ok' || (status === 'error' && x.error !== undefined)) &&
    optText(x.response_model, 1, L.modelMaxLength) &&
    optBounded(x.duration_ms, L.maxDurationMs) &&
    optBounded(x.time_to_first_token_ms, L.maxDurationMs) &&
    optUsage(x.usage) &&
    optBounded(x.cost_usd, L.maxCostUsd) &&
    optError(x.error) &&
    (x.trace_id === undefined || matches(x.trace_id, isTraceId)) &&
    (x.span_id === undefined || matches(x.span_id, isSpanId)) &&
    (x.parent_span_id === undefined || matches(x.parent_span_id, isSpanId)) &&
    optText(x.session_id, 1, L.opaqueIdMaxLength) &&
    optText(x.user_id, 1, L.opaqueIdMaxLength) &&
    optText(x.environment, 1, L.environmentMaxLength) &&
    optFinishReasons(x.finish_reasons) &&
    optFlatMap(x.attributes) &&
    optFlatMap(x.analysis) &&
    optSdk(x.sdk) &&
    shallowUnknowns(x, KNOWN_KEYS.event)
  );
}
