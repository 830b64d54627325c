// Error hierarchy of the regional API: each error carries its HTTP status and a stable machine-readable code.

/** Base class of every error the regional API turns into an HTTP answer (see `http/error-response.ts`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * 400: a parameter or body field is invalid; `code` names what (e.g. `invalid_range`, `invalid_cursor`)
 * and `parameter`, when set, is the query parameter's name (the answer carries it too).
 */
export class BadRequestError extends ApiError {
  readonly parameter: string | undefined;

  constructor(code: string, message: string, options?: { cause?: unknown; parameter?: string }) {
    super(400, code, message, options);
    this.name = 'BadRequestError';
    this.parameter = options?.parameter;
  }
}

/** 401: no bearer token, or a token that fails verification (signature, expiry, issuer, audience). */
export class UnauthorizedError extends ApiError {
  constructor(code: 'missing_token' | 'invalid_token', message: string, options?: { cause?: unknown }) {
    super(401, code, message, options);
    this.name = 'UnauthorizedError';
  }
}

/** 403: a verified caller without the right to do this (not admin, no organization, another org's object). */
export class ForbiddenError extends ApiError {
  constructor(code: 'forbidden' | 'admin_required' | 'no_organization', message: string) {
    super(403, code, message);
    this.name = 'ForbiddenError';
  }
}

/** 404: no such route, or no such object visible to the caller's organization. */
export class NotFoundError extends ApiError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
    this.name = 'NotFoundError';
  }
}

/** 405: the path exists, the method does not. */
export class MethodNotAllowedError extends ApiError {
  constructor() {
    super(405, 'method_not_allowed', 'Method not allowed');
    this.name = 'MethodNotAllowedError';
  }
}

/** 409: the change conflicts with the current state (e.g. revoking an already revoked key is NOT one: that is idempotent). */
export class ConflictError extends ApiError {
  constructor(code: string, message: string) {
    super(409, code, message);
    this.name = 'ConflictError';
  }
}

/** 503: a dependency (token keys, database) is unreachable; the caller may retry. */
export class ServiceUnavailableError extends ApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'unavailable', message, options);
    this.name = 'ServiceUnavailableError';
  }
}
