// The one place where results and errors become HTTP replies (JSON bodies, x-request-id, Retry-After).
import {
  AllEventsRejectedError,
  EdgeError,
  MethodNotAllowedError,
  RateLimitedError,
  UnavailableError,
} from './errors.ts';
import type { RejectedEvent, Reply } from './reply-types.ts';

const JSON_TYPE = 'application/json';

/** A JSON reply with the request id header set. */
export function jsonReply(status: number, body: unknown, requestId: string): Reply {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-request-id': requestId, 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** 202: events handed to Firehose; rejected ones listed by index. */
export function acceptedReply(accepted: number, rejected: RejectedEvent[], requestId: string): Reply {
  return jsonReply(202, { accepted, rejected, request_id: requestId }, requestId);
}

/** Maps any thrown value to its reply; unknown errors become a 500 that reveals nothing. */
export function errorReply(error: unknown, requestId: string): Reply {
  if (!(error instanceof EdgeError)) {
    return jsonReply(
      500,
      { error: { code: 'internal_error', message: 'internal error' }, request_id: requestId },
      requestId,
    );
  }
  const body: Record<string, unknown> = {
    error: { code: error.code, message: error.message },
    request_id: requestId,
  };
  if (error instanceof AllEventsRejectedError) body.rejected = error.rejected;
  const reply = jsonReply(error.status, body, requestId);
  if (error instanceof UnavailableError || error instanceof RateLimitedError) {
    reply.headers['retry-after'] = String(error.retryAfterSeconds);
  }
  if (error instanceof MethodNotAllowedError) reply.headers.allow = error.allow;
  return reply;
}
