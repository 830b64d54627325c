// JSON responses and request bodies for the regional API.
import { BadRequestError } from '../errors.ts';

/** A JSON response carrying the request id (every answer has one, errors included). */
export function jsonResponse(status: number, body: unknown, requestId: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-request-id': requestId,
    },
  });
}

/** Largest admin request body; names are short, so anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Reads a JSON body: 400 `invalid_json` when it does not parse, 413 `payload_too_large` past the cap. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new BadRequestError('payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BadRequestError('invalid_json', 'body is not valid JSON', { cause });
  }
}
