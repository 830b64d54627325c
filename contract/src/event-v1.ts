// Telemetry event v1: schema, type, limits and the never-throwing validateEvent.
import * as v from 'valibot';
import { isValidEventFast } from './event-v1-fast.ts';
import { type TelemetryEventV1, TelemetryEventV1Schema } from './event-v1-schema.ts';
import { type ContractIssue, toContractIssues, type ValidationResult } from './issues.ts';

export { EVENT_LIMITS, EVENT_PATTERNS, KNOWN_KEYS, RESERVED_KEYS } from './event-v1-limits.ts';
export { TelemetryEventV1Schema } from './event-v1-schema.ts';
export type { ContractIssue, TelemetryEventV1 };

/**
 * Validates one event. Never throws, whatever the input (non-objects, `__proto__` keys, NaN, huge or
 * deeply nested values, throwing getters). Valid events are returned as given (same object, unknown
 * keys kept), so the hot path allocates nothing; invalid ones get every issue valibot finds.
 */
export function validateEvent(input: unknown): ValidationResult<TelemetryEventV1> {
  try {
    if (isValidEventFast(input)) return { ok: true, event: input as TelemetryEventV1 };
    const result = v.safeParse(TelemetryEventV1Schema, input);
    // The fast path and the schema are proved equivalent by tests; trust the schema if they ever differ.
    if (result.success) return { ok: true, event: result.output };
    return { ok: false, issues: toContractIssues(result.issues) };
  } catch {
    return { ok: false, issues: [{ path: '', message: 'could not be read as an event' }] };
  }
}
