// The regional API client used by server components and server actions, with the user's ID token (server only).
import 'server-only';
import { ApiUnavailableError, apiErrorFromResponse } from './api-errors.ts';
import type {
  ActorPage,
  ActorSort,
  ApiKey,
  AuditItem,
  Breakdown,
  CreatedApiKey,
  Dimension,
  DimensionValues,
  ExplorerItem,
  Interval,
  Overview,
  Page,
  Project,
  Timeseries,
  Trace,
  ValueDimension,
} from './api-types.ts';
import { webConfig } from './config.ts';
import type { Session } from './session-types.ts';

type Query = Record<string, string | number | undefined>;

async function call<T>(
  session: Session,
  method: 'GET' | 'POST',
  path: string,
  query?: Query,
  body?: unknown,
) {
  const url = new URL(`${webConfig().apiUrl}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${session.idToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new ApiUnavailableError(503, 'unreachable', 'the API could not be reached', { cause });
  }
  const text = await res.text();
  if (!res.ok) throw apiErrorFromResponse(res.status, text);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new ApiUnavailableError(502, 'bad_answer', 'the API answered something other than JSON', { cause });
  }
}

/** Range and project (absent: every project of the organization) of an analytics call. */
export interface AnalyticsQuery {
  project_id: string | undefined;
  from: string;
  to: string;
}

/** Explorer filters, as the API names them (`attr.<key>` for attributes). */
export type EventFilters = Record<string, string | undefined>;

/** Every regional API call the dashboard makes, bound to one user's session. */
export function regionalApi(session: Session) {
  return {
    projects: () => call<{ projects: Project[] }>(session, 'GET', '/v1/projects'),
    createProject: (name: string) => call<Project>(session, 'POST', '/v1/projects', undefined, { name }),
    apiKeys: (projectId: string) =>
      call<{ api_keys: ApiKey[] }>(session, 'GET', `/v1/projects/${encodeURIComponent(projectId)}/api-keys`),
    createApiKey: (projectId: string, name: string) =>
      call<CreatedApiKey>(
        session,
        'POST',
        `/v1/projects/${encodeURIComponent(projectId)}/api-keys`,
        undefined,
        { name },
      ),
    revokeApiKey: (keyId: string) =>
      call<{ id: string; status: 'revoked'; revoked_at: string }>(
        session,
        'POST',
        `/v1/api-keys/${encodeURIComponent(keyId)}/revoke`,
      ),
    auditLogs: (cursor?: string) =>
      call<Page<AuditItem>>(session, 'GET', '/v1/audit-logs', { limit: 25, cursor }),
    overview: (q: AnalyticsQuery & EventFilters) =>
      call<Overview>(session, 'GET', '/v1/analytics/overview', { ...q }),
    timeseries: (q: AnalyticsQuery & EventFilters & { interval: Interval; split?: 'model' }) =>
      call<Timeseries>(session, 'GET', '/v1/analytics/timeseries', { ...q }),
    breakdown: (q: AnalyticsQuery & EventFilters & { by: Dimension }) =>
      call<Breakdown>(session, 'GET', '/v1/analytics/breakdown', { ...q, limit: 20 }),
    actors: (kind: 'users' | 'sessions', q: AnalyticsQuery & { sort: ActorSort; cursor?: string }) =>
      call<ActorPage>(session, 'GET', `/v1/analytics/${kind}`, { ...q, limit: 50 }),
    events: (q: AnalyticsQuery & EventFilters & { cursor?: string }) =>
      call<Page<ExplorerItem>>(session, 'GET', '/v1/analytics/events', { ...q, limit: 50 }),
    /** One export page: the explorer's largest page. */
    exportPage: (q: AnalyticsQuery & EventFilters & { cursor?: string }) =>
      call<Page<ExplorerItem>>(session, 'GET', '/v1/analytics/events', { ...q, limit: 200 }),
    event: (eventId: string, projectId: string | undefined) =>
      call<ExplorerItem>(session, 'GET', `/v1/analytics/events/${encodeURIComponent(eventId)}`, {
        project_id: projectId,
      }),
    trace: (traceId: string, projectId: string | undefined) =>
      call<Trace>(session, 'GET', `/v1/analytics/traces/${encodeURIComponent(traceId)}`, {
        project_id: projectId,
        limit: 500,
      }),
    values: (q: AnalyticsQuery & { dimension: ValueDimension }) =>
      call<DimensionValues>(session, 'GET', '/v1/analytics/values', { ...q, limit: 100 }),
  };
}
