// Mapping the regional API's failures to errors, and errors to what the user sees.
import { describe, expect, it } from 'vitest';
import {
  ApiBadRequestError,
  ApiConflictError,
  ApiError,
  ApiForbiddenError,
  ApiNotFoundError,
  ApiUnauthorizedError,
  ApiUnavailableError,
  apiErrorFromResponse,
  errorView,
} from './api-errors.ts';

const body = (code: string, message: string) => JSON.stringify({ error: { code, message } });

describe('apiErrorFromResponse', () => {
  it.each([
    [400, ApiBadRequestError],
    [401, ApiUnauthorizedError],
    [403, ApiForbiddenError],
    [404, ApiNotFoundError],
    [409, ApiConflictError],
    [500, ApiUnavailableError],
    [502, ApiUnavailableError],
    [503, ApiUnavailableError],
  ])('maps %i to its class, keeping the API code and message', (status, cls) => {
    const error = apiErrorFromResponse(status, body('some_code', 'what went wrong'));
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(error.code).toBe('some_code');
    expect(error.message).toBe('what went wrong');
  });

  it('copes with a body that is not the API error shape', () => {
    const error = apiErrorFromResponse(502, '<html>Bad gateway</html>');
    expect(error).toBeInstanceOf(ApiUnavailableError);
    expect(error.code).toBe('unknown');
    expect(error.message).toBe('the API answered 502');
  });

  it('keeps other statuses generic', () => {
    const error = apiErrorFromResponse(405, body('method_not_allowed', 'no'));
    expect(error.constructor).toBe(ApiError);
  });
});

describe('errorView', () => {
  it('asks a signed-out user to sign in again', () => {
    expect(errorView(apiErrorFromResponse(401, body('invalid_token', 'token expired')))).toMatchObject({
      kind: 'signed-out',
    });
  });

  it('explains an admin-only page to a member', () => {
    const view = errorView(apiErrorFromResponse(403, body('admin_required', 'admin role required')));
    expect(view.kind).toBe('forbidden');
    expect(view.message).toContain('admins');
  });

  it("shows the API's own message for a refused request", () => {
    const view = errorView(
      apiErrorFromResponse(400, body('range_too_large', 'the range is longer than 31 days')),
    );
    expect(view).toEqual({
      kind: 'bad-request',
      title: 'The request was refused',
      message: 'the range is longer than 31 days',
    });
  });

  it('says the API is down when it cannot be reached', () => {
    const view = errorView(new ApiUnavailableError(503, 'unreachable', 'the API could not be reached'));
    expect(view.kind).toBe('unavailable');
  });

  it('never shows the message of an unexpected error', () => {
    const view = errorView(new Error('connect ECONNREFUSED token=abc'));
    expect(view.kind).toBe('unexpected');
    expect(JSON.stringify(view)).not.toContain('abc');
  });
});
