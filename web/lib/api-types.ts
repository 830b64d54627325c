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
/** `GET /v1/analytics/events` item: the event as sent, plus where and when it arrived. */
export type ExplorerItem = Schemas['ExplorerItem'];
/** `GET /v1/analytics/traces/{trace_id}`. */
export type Trace = Schemas['Trace'];

/** `GET /v1/analytics/users` / `sessions` row and page. */
export type ActorRow = Schemas['ActorRow'];
export type ActorPage = Schemas['ActorPage'];
/** Sort keys of the users and sessions lists (descending). */
export type ActorSort = ActorPage['sort'];

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
  'error_type',
] as const satisfies readonly Breakdown['by'][];
export type Dimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** A keyset page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Timeseries bucket widths the API accepts. */
export type Interval = Timeseries['interval'];
