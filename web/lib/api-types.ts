// Answer types of the regional API, taken from the types generated from regional/openapi.json (openapi.gen.ts).
import type { components } from './openapi.gen.ts';

type Schemas = components['schemas'];

/** `GET /v1/projects` item. */
export type Project = Schemas['Project'];
/** `GET /v1/projects/{id}/api-keys` item: never the secret. */
export type ApiKey = Schemas['ApiKey'];
/** `POST /v1/projects/{id}/api-keys`: the one answer that carries the full key. */
export type CreatedApiKey = Schemas['CreatedApiKey'];
/** `GET /v1/audit-logs` item. */
export type AuditItem = Schemas['AuditItem'];
export type Percentiles = Schemas['Percentiles'];
/** `GET /v1/analytics/overview`. */
export type Overview = Schemas['Overview'];
export type TimeseriesPoint = Schemas['TimeseriesPoint'];
/** `GET /v1/analytics/timeseries`. */
export type Timeseries = Schemas['Timeseries'];
export type BreakdownRow = Schemas['BreakdownRow'];
/** `GET /v1/analytics/breakdown`: the top `limit` rows and `other`, the rest summed (null when none). */
export type Breakdown = Schemas['Breakdown'];
// Written by hand: the spec's ExplorerItem composes the whole event schema (allOf), which the pages do not need.
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

/** `GET /v1/analytics/values`. */
export type DimensionValues = Schemas['DimensionValues'];

/** Dimensions whose known values `GET /v1/analytics/values` lists. */
export const VALUE_DIMENSIONS = [
  'model',
  'provider',
  'operation',
  'environment',
  'status',
  'error_type',
] as const satisfies readonly DimensionValues['dimension'][];
export type ValueDimension = (typeof VALUE_DIMENSIONS)[number];

/** Breakdown dimensions. */
export const BREAKDOWN_DIMENSIONS = [
  'model',
  'provider',
  'operation',
  'status',
  'environment',
] as const satisfies readonly Breakdown['by'][];
export type Dimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** A keyset page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Timeseries bucket widths the API accepts. */
export type Interval = Timeseries['interval'];
