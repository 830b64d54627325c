// The one place errors become HTTP answers: ApiError → its status and code; anything else → 500 (logged).
import { ApiError, BadRequestError } from '../errors.ts';
import { jsonResponse } from './json.ts';

/** Maps any thrown value to `{"error":{"code","message"}}`; unknown errors never leak their message. */
export function errorResponse(
  error: unknown,
  requestId: string,
  logError?: (message: string, details: Record<string, unknown>) => void,
): Response {
  if (error instanceof ApiError) {
    if (error.status >= 500) {
      logError?.('dependency unavailable', { request_id: requestId, error: describe(error.cause ?? error) });
    }
    const parameter = error instanceof BadRequestError ? error.parameter : undefined;
    return jsonResponse(
      error.status,
      { error: { code: error.code, message: error.message, ...(parameter ? { parameter } : {}) } },
      requestId,
    );
  }
  logError?.('unhandled error', { request_id: requestId, error: describe(error) });
  return jsonResponse(500, { error: { code: 'internal', message: 'Internal error' } }, requestId);
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error)
    return { name: error.name, message: error.message, code: (error as { code?: unknown }).code };
  return { value: String(error) };
}
