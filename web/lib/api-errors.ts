// The regional API's failures as one error hierarchy, and how the dashboard presents each of them.

/** Any failed call to the regional API; `status` is the HTTP status (503 when the API could not be reached). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 400: a parameter or body the API refused; its message says which. */
export class ApiBadRequestError extends ApiError {
  override name = 'ApiBadRequestError';
}
/** 401: no session token, or one the API no longer accepts (expired, signed by a rotated key). */
export class ApiUnauthorizedError extends ApiError {
  override name = 'ApiUnauthorizedError';
}
/** 403: signed in, but not allowed (e.g. a member on an admin route). */
export class ApiForbiddenError extends ApiError {
  override name = 'ApiForbiddenError';
}
/** 404: no such object in the caller's organization. */
export class ApiNotFoundError extends ApiError {
  override name = 'ApiNotFoundError';
}
/** 409: conflicts with existing data (e.g. a taken project name). */
export class ApiConflictError extends ApiError {
  override name = 'ApiConflictError';
}
/** The API is down, unreachable, or answered something that is not its JSON contract. */
export class ApiUnavailableError extends ApiError {
  override name = 'ApiUnavailableError';
}

/** Maps an unsuccessful answer (status + body text) to the matching error; the message is the API's own. */
export function apiErrorFromResponse(status: number, bodyText: string): ApiError {
  let code = 'unknown';
  let message = `the API answered ${status}`;
  try {
    const body = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not the API's error shape (a proxy's HTML page, say): keep the generic message.
  }
  switch (status) {
    case 400:
      return new ApiBadRequestError(status, code, message);
    case 401:
      return new ApiUnauthorizedError(status, code, message);
    case 403:
      return new ApiForbiddenError(status, code, message);
    case 404:
      return new ApiNotFoundError(status, code, message);
    case 409:
      return new ApiConflictError(status, code, message);
    default:
      return status >= 500
        ? new ApiUnavailableError(status, code, message)
        : new ApiError(status, code, message);
  }
}

/** What a page or form shows for a failure: plain data, so server actions can return it to the browser. */
export interface ErrorView {
  kind: 'signed-out' | 'forbidden' | 'bad-request' | 'not-found' | 'conflict' | 'unavailable' | 'unexpected';
  title: string;
  message: string;
}

/** The presentation of any thrown value; unknown errors never leak their message (it could hold anything). */
export function errorView(error: unknown): ErrorView {
  if (error instanceof ApiUnauthorizedError) {
    return { kind: 'signed-out', title: 'Your session has ended', message: 'Sign in again to continue.' };
  }
  if (error instanceof ApiForbiddenError) {
    return {
      kind: 'forbidden',
      title: 'Not allowed',
      message:
        error.code === 'admin_required'
          ? 'This page is for organization admins. Ask an admin of your organization if you need access.'
          : error.message,
    };
  }
  if (error instanceof ApiBadRequestError) {
    return { kind: 'bad-request', title: 'The request was refused', message: error.message };
  }
  if (error instanceof ApiNotFoundError) {
    return { kind: 'not-found', title: 'Not found', message: error.message };
  }
  if (error instanceof ApiConflictError) {
    return { kind: 'conflict', title: 'Already exists', message: error.message };
  }
  if (error instanceof ApiUnavailableError) {
    return {
      kind: 'unavailable',
      title: 'The API is not reachable',
      message: 'The numbers cannot be loaded right now. This page retries on its own; try again shortly.',
    };
  }
  return { kind: 'unexpected', title: 'Something went wrong', message: 'Reload the page to try again.' };
}
