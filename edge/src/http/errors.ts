// The edge's one error hierarchy: every failure the ingest API can answer, with its HTTP status and code.
import type { RejectedEvent } from './reply-types.ts';

/** Base of every error the edge turns into an HTTP answer (the mapping lives in `reply.ts` only). */
export class EdgeError extends Error {
  override name = 'EdgeError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 401: no Authorization header, or no Bearer token in it. */
export class MissingApiKeyError extends EdgeError {
  override name = 'MissingApiKeyError';
  constructor() {
    super(401, 'missing_api_key', 'an API key is required: Authorization: Bearer lok_…');
  }
}

/** 401: the token is not a well-formed `lok_` key (syntax or checksum); no lookup was made. */
export class MalformedApiKeyError extends EdgeError {
  override name = 'MalformedApiKeyError';
  constructor() {
    super(401, 'malformed_api_key', 'the API key is malformed');
  }
}

/** 401: unknown, revoked or wrong secret: deliberately indistinguishable. */
export class InvalidApiKeyError extends EdgeError {
  override name = 'InvalidApiKeyError';
  constructor() {
    super(401, 'invalid_api_key', 'the API key is not valid');
  }
}

/** 404: no such route. */
export class NotFoundError extends EdgeError {
  override name = 'NotFoundError';
  constructor() {
    super(404, 'not_found', 'no such route');
  }
}

/** 405: the route exists, the method does not; `allow` lists the methods it takes. */
export class MethodNotAllowedError extends EdgeError {
  override name = 'MethodNotAllowedError';
  constructor(readonly allow: string) {
    super(405, 'method_not_allowed', `method not allowed; use ${allow}`);
  }
}

/** 413: body as sent, decompressed body, or one event over its limit. */
export class PayloadTooLargeError extends EdgeError {
  override name = 'PayloadTooLargeError';
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

/** 415: not JSON, or a content encoding other than gzip/identity. */
export class UnsupportedMediaTypeError extends EdgeError {
  override name = 'UnsupportedMediaTypeError';
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/** 400: the body is not JSON (or not decodable: bad gzip, invalid UTF-8). */
export class InvalidJsonError extends EdgeError {
  override name = 'InvalidJsonError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(400, 'invalid_json', message, options);
  }
}

/** 400: JSON, but not `{"events":[…]}` with 1–1000 events. */
export class InvalidBatchError extends EdgeError {
  override name = 'InvalidBatchError';
  constructor(message: string) {
    super(400, 'invalid_batch', message);
  }
}

/** 400: every event of the batch failed validation; `rejected` says why, per event. */
export class AllEventsRejectedError extends EdgeError {
  override name = 'AllEventsRejectedError';
  constructor(readonly rejected: RejectedEvent[]) {
    super(400, 'all_events_rejected', 'every event in the batch was rejected');
  }
}

/** 429: the key sent more requests than its rate allows at this edge; `retryAfterSeconds` says when to retry. */
export class RateLimitedError extends EdgeError {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', 'too many requests for this API key; retry after the Retry-After seconds');
  }
}

/** 503: a dependency (Firehose, or the key store for a key we cannot vouch for) did not answer in time. */
export class UnavailableError extends EdgeError {
  override name = 'UnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(503, 'unavailable', message, options);
  }
}
