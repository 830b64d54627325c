// Allocation-free yes/no check of event v1 for the hot path; must agree exactly with TelemetryEventV1Schema.
import { EVENT_LIMITS as L, EVENT_PATTERNS as P } from './event-v1-limits.ts';
import { isPlainObject } from './event-v1-schema.ts';
import { codePointLengthWithin, isRfc3339Timestamp } from './text.ts';

const SCHEMA_VERSION_RE = new RegExp(P.schemaVersion);
const EVENT_ID_RE = new RegExp(P.eventId);
const OPERATION_RE = new RegExp(P.operation);
const PROVIDER_RE = new RegExp(P.provider);
const TRACE_ID_RE = new RegExp(P.traceId);
const SPAN_ID_RE = new RegExp(P.spanId);
const MAP_KEY_RE = new RegExp(P.mapKey);

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

function matches(x: unknown, re: RegExp): boolean {
  return typeof x === 'string' && re.test(x);
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
    if (++n > L.maxMapEntries || !MAP_KEY_RE.test(key)) return false;
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
    optTokens(x.cache_creation_input_tokens)
  );
}

function optError(x: unknown): boolean {
  if (x === undefined) return true;
  return (
    isSafeObject(x) && text(x.type, 1, L.errorTypeMaxLength) && text(x.message, 0, L.errorMessageMaxLength)
  );
}

function optSdk(x: unknown): boolean {
  if (x === undefined) return true;
  const max = L.sdkFieldMaxLength;
  return isSafeObject(x) && text(x.name, 1, max) && text(x.version, 1, max) && text(x.language, 1, max);
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
    matches(x.schema_version, SCHEMA_VERSION_RE) &&
    matches(x.event_id, EVENT_ID_RE) &&
    typeof x.timestamp === 'string' &&
    isRfc3339Timestamp(x.timestamp) &&
    matches(x.operation, OPERATION_RE) &&
    matches(x.provider, PROVIDER_RE) &&
    text(x.model, 1, L.modelMaxLength) &&
    (status === 'ok' || (status === 'error' && x.error !== undefined)) &&
    optText(x.response_model, 1, L.modelMaxLength) &&
    optBounded(x.duration_ms, L.maxDurationMs) &&
    optBounded(x.time_to_first_token_ms, L.maxDurationMs) &&
    optUsage(x.usage) &&
    optBounded(x.cost_usd, L.maxCostUsd) &&
    optError(x.error) &&
    (x.trace_id === undefined || matches(x.trace_id, TRACE_ID_RE)) &&
    (x.span_id === undefined || matches(x.span_id, SPAN_ID_RE)) &&
    (x.parent_span_id === undefined || matches(x.parent_span_id, SPAN_ID_RE)) &&
    optText(x.session_id, 1, L.opaqueIdMaxLength) &&
    optText(x.user_id, 1, L.opaqueIdMaxLength) &&
    optText(x.environment, 1, L.environmentMaxLength) &&
    optFinishReasons(x.finish_reasons) &&
    optFlatMap(x.attributes) &&
    optFlatMap(x.analysis) &&
    optSdk(x.sdk)
  );
}
