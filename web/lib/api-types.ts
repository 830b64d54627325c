// Response shapes of the regional API (regional/openapi.json), as the dashboard reads them.

/** `GET /v1/projects` item. */
export interface Project {
  id: string;
  name: string;
  created_at: string;
}

/** `GET /v1/projects/{id}/api-keys` item; never a secret. */
export interface ApiKey {
  id: string;
  prefix: string;
  name: string;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** `POST /v1/projects/{id}/api-keys` answer: the only time the full key is shown. */
export interface CreatedApiKey {
  id: string;
  prefix: string;
  name: string;
  key: string;
  created_at: string;
}

/** `GET /v1/audit-logs` item. */
export interface AuditItem {
  id: string;
  at: string;
  actor: { sub: string; email: string | null };
  action: string;
  target_type: string;
  target_id: string | null;
  details: Record<string, unknown>;
}

/** Latency percentiles in ms; null when no event in the range reported a duration. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** `GET /v1/analytics/overview`. */
export interface Overview {
  events: number;
  errors: number;
  error_rate: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: Percentiles;
  from: string;
  to: string;
  data_as_of: string | null;
}

/** `GET /v1/analytics/timeseries` point. */
export interface TimeseriesPoint extends Percentiles {
  t: string;
  events: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** `GET /v1/analytics/timeseries`. */
export interface Timeseries {
  interval: Interval;
  points: TimeseriesPoint[];
  data_as_of: string | null;
}

/** Breakdown dimensions. */
export const BREAKDOWN_DIMENSIONS = ['model', 'provider', 'operation', 'status', 'environment'] as const;
export type Dimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** `GET /v1/analytics/breakdown` row. */
export interface BreakdownRow {
  key: string;
  events: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  p50: number | null;
  p95: number | null;
}

/** `GET /v1/analytics/breakdown`: the top values, and the rest summed. */
export interface Breakdown {
  by: Dimension;
  limit: number;
  rows: BreakdownRow[];
  other: (Omit<BreakdownRow, 'key'> & { keys: number }) | null;
  data_as_of: string | null;
}

/** `GET /v1/analytics/events` item: the event as sent, plus where and when it arrived. */
export interface ExplorerItem {
  event_id: string;
  timestamp: string;
  operation?: string;
  provider?: string;
  model?: string;
  status?: string;
  duration_ms?: number;
  usage?: { input_tokens?: number; output_tokens?: number };
  cost_usd?: number;
  environment?: string;
  response_model?: string;
  error?: { type?: string; message?: string };
  time_to_first_token_ms?: number;
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  user_id?: string;
  session_id?: string;
  attributes?: Record<string, unknown>;
  sdk?: { name?: string; version?: string; language?: string };
  project_id: string;
  received_at: string;
  [field: string]: unknown;
}

/** `GET /v1/analytics/traces/{trace_id}`. */
export interface Trace {
  trace_id: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  totals: { events: number; errors: number; input_tokens: number; output_tokens: number; cost_usd: number };
  items: ExplorerItem[];
  truncated: boolean;
}

/** Dimensions whose known values `GET /v1/analytics/values` lists. */
export const VALUE_DIMENSIONS = [
  'model',
  'provider',
  'operation',
  'environment',
  'status',
  'error_type',
] as const;
export type ValueDimension = (typeof VALUE_DIMENSIONS)[number];

/** `GET /v1/analytics/values`. */
export interface DimensionValues {
  dimension: ValueDimension;
  values: Array<{ value: string; events: number }>;
}

/** A keyset page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Timeseries bucket widths the API accepts. */
export type Interval = '1m' | '5m' | '15m' | '1h' | '6h' | '1d';
