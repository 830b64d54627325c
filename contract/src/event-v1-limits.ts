// Bounds and patterns of telemetry event v1 (design §4.2), shared by the valibot schema and the fast validator.

/** Every bound of event v1. Lengths are in Unicode code points (as JSON Schema counts them). */
export const EVENT_LIMITS = {
  /** Highest minor version accepted in `schema_version` ("1.0" … "1.9999"). */
  maxSchemaMinor: 9999,
  eventIdMaxLength: 64,
  operationMaxLength: 64,
  providerMaxLength: 64,
  modelMaxLength: 256,
  /** duration_ms and time_to_first_token_ms: at most one day. */
  maxDurationMs: 86_400_000,
  /** Every usage counter: a non-negative integer up to 10^12 (a safe integer). */
  maxTokens: 1_000_000_000_000,
  maxCostUsd: 1_000_000,
  errorTypeMaxLength: 256,
  errorMessageMaxLength: 4096,
  /** session_id and user_id. */
  opaqueIdMaxLength: 256,
  environmentMaxLength: 64,
  maxFinishReasons: 16,
  finishReasonMaxLength: 64,
  /** attributes and analysis: entries, key length (keys are `[A-Za-z0-9_.:-]`), string value length. */
  maxMapEntries: 64,
  mapKeyMaxLength: 128,
  mapStringValueMaxLength: 1024,
  /** sdk.name, sdk.version, sdk.language. */
  sdkFieldMaxLength: 64,
} as const;

/** Keys that are never accepted in any object of the event: they would poison prototypes downstream. */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Regular expression sources (JSON Schema `pattern` strings; ASCII only, so units equal code points). */
export const EVENT_PATTERNS = {
  schemaVersion: '^1\\.(?:0|[1-9][0-9]{0,3})$',
  eventId: '^[A-Za-z0-9._:-]{1,64}$',
  operation: '^[a-z0-9_.]{1,64}$',
  provider: '^[a-z0-9_.-]{1,64}$',
  traceId: '^[0-9a-f]{32}$',
  spanId: '^[0-9a-f]{16}$',
  mapKey: '^[A-Za-z0-9_.:-]{1,128}$',
} as const;
