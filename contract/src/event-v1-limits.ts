// Bounds and patterns of telemetry event v1, shared by the valibot schema and the fast validator.

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
  /**
   * Unknown (free-form) fields, at the top level and inside usage, error and sdk: at most this many
   * levels of nested arrays/objects in one field's value. PostgreSQL refuses JSON nested past its stack
   * limit (a server setting), so without a stated bound an accepted event could never be stored.
   */
  maxUnknownNesting: 32,
} as const;

/** Known members of each object of the event that keeps unknown keys (the rest are free-form). */
export const KNOWN_KEYS = {
  event: new Set([
    'schema_version',
    'event_id',
    'timestamp',
    'operation',
    'provider',
    'model',
    'status',
    'response_model',
    'duration_ms',
    'time_to_first_token_ms',
    'usage',
    'cost_usd',
    'error',
    'trace_id',
    'span_id',
    'parent_span_id',
    'session_id',
    'user_id',
    'environment',
    'finish_reasons',
    'attributes',
    'analysis',
    'sdk',
  ]) as ReadonlySet<string>,
  usage: new Set([
    'input_tokens',
    'output_tokens',
    'cache_read_input_tokens',
    'cache_creation_input_tokens',
  ]) as ReadonlySet<string>,
  error: new Set(['type', 'message']) as ReadonlySet<string>,
  sdk: new Set(['name', 'version', 'language']) as ReadonlySet<string>,
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
