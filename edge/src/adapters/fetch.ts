// Web-standard adapter: Request → EdgeRequest, Reply → Response (used by the CloudFront adapter).
import type { EdgeDeps } from '../deps.ts';
import type { EdgeRequest, Reply } from '../http/reply-types.ts';
import { handle } from '../router.ts';

/** Per-request extras a platform knows and a Request cannot carry. */
export interface FetchExtras {
  bodyTruncated?: boolean;
  requestId?: string;
}

/** Builds the core's request from a web Request (reads its body once). */
export async function toEdgeRequest(request: Request, extras: FetchExtras = {}): Promise<EdgeRequest> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const edgeRequest: EdgeRequest = {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: hasBody ? new Uint8Array(await request.arrayBuffer()) : undefined,
    bodyTruncated: extras.bodyTruncated ?? false,
  };
  if (extras.requestId !== undefined) edgeRequest.requestId = extras.requestId;
  return edgeRequest;
}

/** Turns a core reply into a web Response. */
export function toResponse(reply: Reply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

/** The core as a fetch handler: Request in, Response out. */
export async function fetchHandler(
  request: Request,
  deps: EdgeDeps,
  extras: FetchExtras = {},
): Promise<Response> {
  return toResponse(await handle(await toEdgeRequest(request, extras), deps));
}
