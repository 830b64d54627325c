// Regional API routes on itty-router: authenticate, call the core function, answer JSON.
import { randomUUID } from 'node:crypto';
import { type IRequest, Router } from 'itty-router';
import { createApiKey, listApiKeys, revokeApiKey } from './admin/api-keys.ts';
import { listAuditLogs } from './admin/audit-logs.ts';
import { createProject, listProjects } from './admin/projects.ts';
import { listActors } from './analytics/actors.ts';
import { breakdown } from './analytics/breakdown.ts';
import { eventDetail } from './analytics/event-detail.ts';
import { listEvents } from './analytics/events.ts';
import { overview } from './analytics/overview.ts';
import { timeseries } from './analytics/timeseries.ts';
import { trace } from './analytics/traces.ts';
import { dimensionValues } from './analytics/values.ts';
import { authenticate } from './auth/authenticate.ts';
import type { Caller } from './auth/caller.ts';
import type { ApiDeps } from './deps.ts';
import { MethodNotAllowedError, NotFoundError } from './errors.ts';
import { errorResponse } from './http/error-response.ts';
import { jsonResponse, readJsonBody } from './http/json.ts';

type Ctx = { deps: ApiDeps; requestId: string; request: Request };
type Handler = (caller: Caller, req: IRequest, ctx: Ctx) => Promise<unknown>;

/** Query values as single strings; a repeated parameter is ambiguous, so only its first value counts. */
function queryOf(req: IRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(req.query)) out[k] = Array.isArray(val) ? val[0] : val;
  return out;
}

/** Wraps a core call: verify the token first (every route but health needs one), then answer JSON. */
function authed(status: number, handler: Handler) {
  return async (req: IRequest, ctx: Ctx): Promise<Response> => {
    const caller = await authenticate(ctx.request.headers.get('authorization'), ctx.deps.verifier);
    return jsonResponse(status, await handler(caller, req, ctx), ctx.requestId);
  };
}

function buildRouter() {
  const router = Router<IRequest, [Ctx]>({
    catch: (error, _req, ctx) => errorResponse(error, ctx.requestId, ctx.deps.logError),
  });
  router
    .get('/v1/health', (_req, ctx) => jsonResponse(200, { status: 'ok' }, ctx.requestId))
    .get(
      '/v1/me',
      authed(200, async (caller) => caller),
    )
    .get(
      '/v1/projects',
      authed(200, (caller, _req, ctx) => listProjects(ctx.deps, caller)),
    )
    .post(
      '/v1/projects',
      authed(201, async (caller, _req, ctx) =>
        createProject(ctx.deps, caller, await readJsonBody(ctx.request)),
      ),
    )
    .get(
      '/v1/projects/:project_id/api-keys',
      authed(200, (caller, req, ctx) => listApiKeys(ctx.deps, caller, req.params.project_id)),
    )
    .post(
      '/v1/projects/:project_id/api-keys',
      authed(201, async (caller, req, ctx) =>
        createApiKey(ctx.deps, caller, req.params.project_id, await readJsonBody(ctx.request)),
      ),
    )
    .post(
      '/v1/api-keys/:key_id/revoke',
      authed(200, (caller, req, ctx) => revokeApiKey(ctx.deps, caller, req.params.key_id)),
    )
    .get(
      '/v1/audit-logs',
      authed(200, (caller, req, ctx) => listAuditLogs(ctx.deps, caller, queryOf(req))),
    )
    .get(
      '/v1/analytics/overview',
      authed(200, (caller, req, ctx) => overview(ctx.deps, caller, queryOf(req))),
    )
    .get(
      '/v1/analytics/timeseries',
      authed(200, (caller, req, ctx) => timeseries(ctx.deps, caller, queryOf(req))),
    )
    .get(
      '/v1/analytics/breakdown',
      authed(200, (caller, req, ctx) => breakdown(ctx.deps, caller, queryOf(req))),
    )
    .get(
      '/v1/analytics/events',
      authed(200, (caller, req, ctx) => listEvents(ctx.deps, caller, queryOf(req))),
    )
    .get(
      '/v1/analytics/events/:event_id',
      authed(200, (caller, req, ctx) => eventDetail(ctx.deps, caller, req.params.event_id, queryOf(req))),
    )
    .get(
      '/v1/analytics/traces/:trace_id',
      authed(200, (caller, req, ctx) => trace(ctx.deps, caller, req.params.trace_id, queryOf(req))),
    )
    .get(
      '/v1/analytics/users',
      authed(200, (caller, req, ctx) => listActors(ctx.deps, caller, 'user', queryOf(req))),
    )
    .get(
      '/v1/analytics/sessions',
      authed(200, (caller, req, ctx) => listActors(ctx.deps, caller, 'session', queryOf(req))),
    )
    .get(
      '/v1/analytics/values',
      authed(200, (caller, req, ctx) => dimensionValues(ctx.deps, caller, queryOf(req))),
    )
    .all('*', (req) => {
      const path = new URL(req.url).pathname;
      const known = router.routes.some(([method, re]) => method !== 'ALL' && re.test(path));
      throw known ? new MethodNotAllowedError() : new NotFoundError('No such route');
    });
  return router;
}

/** The regional API as a fetch-style function; adapters (Lambda, local server) only translate to and from it. */
export type RegionalApi = (request: Request) => Promise<Response>;

/** Builds the API over its dependencies. */
export function createRegionalApi(deps: ApiDeps): RegionalApi {
  const router = buildRouter();
  return async (request) => {
    const requestId = randomUUID();
    const ctx: Ctx = { deps, requestId, request };
    const response = (await router.fetch(request, ctx)) as Response | undefined;
    return response ?? errorResponse(new NotFoundError('No such route'), requestId);
  };
}
