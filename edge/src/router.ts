// The edge's routes (itty-router) and the single entry every adapter calls: handle(request, deps).
import { randomUUID } from 'node:crypto';
import { Router } from 'itty-router';
import type { EdgeDeps } from './deps.ts';
import { EdgeError, MethodNotAllowedError, NotFoundError } from './http/errors.ts';
import { errorReply, jsonReply } from './http/reply.ts';
import type { EdgeRequest, Reply } from './http/reply-types.ts';
import { ingestEvents } from './ingest.ts';

type Args = [EdgeDeps, string];

const notAllowed = (allow: string) => () => {
  throw new MethodNotAllowedError(allow);
};

const router = Router<EdgeRequest, Args, Reply>({
  catch: (error: unknown, _request: EdgeRequest, deps: EdgeDeps, requestId: string) => {
    if (!(error instanceof EdgeError) || error.status >= 500) {
      deps.log.error('request failed', { request_id: requestId, error: describe(error) });
    }
    return errorReply(error, requestId);
  },
});

router
  .post('/v1/events', ingestEvents)
  .all('/v1/events', notAllowed('POST'))
  .get('/v1/health', (_request: EdgeRequest, _deps: EdgeDeps, requestId: string) =>
    jsonReply(200, { status: 'ok' }, requestId),
  )
  .all('/v1/health', notAllowed('GET'))
  .all('*', () => {
    throw new NotFoundError();
  });

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const cause =
    error.cause instanceof Error ? { name: error.cause.name, message: error.cause.message } : undefined;
  return { name: error.name, message: error.message, cause };
}

const REQUEST_ID_RE = /^[A-Za-z0-9_.:=-]{1,128}$/;

/** Routes one request; never throws. Every reply carries `x-request-id`. */
export async function handle(request: EdgeRequest, deps: EdgeDeps): Promise<Reply> {
  const requestId =
    request.requestId && REQUEST_ID_RE.test(request.requestId) ? request.requestId : randomUUID();
  let reply: Reply;
  try {
    reply = (await router.fetch(request, deps, requestId)) as Reply;
  } catch (error) {
    // Only reachable if the URL itself cannot be parsed.
    reply = errorReply(error instanceof EdgeError ? error : new NotFoundError(), requestId);
  }
  reply.headers['x-request-id'] = requestId;
  if (reply.status >= 400) deps.log.info('request rejected', { request_id: requestId, status: reply.status });
  return reply;
}
