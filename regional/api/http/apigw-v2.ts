// API Gateway HTTP API (payload v2) ⇄ fetch Request/Response; nothing else happens here.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Builds a Request from the event. The JWT authorizer's claims in `requestContext` are ignored on
 * purpose: they arrive flattened to strings, so the router verifies the bearer token itself.
 */
export function requestFromApiGatewayV2(event: APIGatewayProxyEventV2): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers.set(name, value);
  }
  if (event.cookies?.length) headers.set('cookie', event.cookies.join('; '));
  const host = event.requestContext.domainName || headers.get('host') || 'localhost';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const method = event.requestContext.http.method.toUpperCase();
  const hasBody = event.body !== undefined && event.body !== null && method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8') : undefined;
  return new Request(`https://${host}${event.rawPath}${query}`, { method, headers, body });
}

/** Converts the Response into the structured v2 result (JSON bodies, so plain text, never base64). */
export async function apiGatewayV2Result(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, headers, body: await response.text(), isBase64Encoded: false };
}
