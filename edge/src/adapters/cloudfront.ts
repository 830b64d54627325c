// CloudFront origin-request adapter (Lambda@Edge): event → Request, Response → generated response.
import type { CloudFrontHeaders, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import type { EdgeDeps } from '../deps.ts';
import { type FetchExtras, fetchHandler } from './fetch.ts';

/** CloudFront forbids generated responses from setting these (they are its own). */
const READ_ONLY_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'via']);

/** Converts the origin-request event into a web Request plus what the Request cannot carry. */
export function requestFromCloudFront(event: CloudFrontRequestEvent): {
  request: Request;
  extras: FetchExtras;
} {
  const record = event.Records[0];
  if (!record) throw new Error('CloudFront event without records');
  const cf = record.cf;
  const headers = new Headers();
  for (const values of Object.values(cf.request.headers)) {
    for (const { key, value } of values) if (key) headers.append(key, value);
  }
  const host = headers.get('host') ?? cf.config.distributionDomainName;
  const query = cf.request.querystring ? `?${cf.request.querystring}` : '';
  const method = cf.request.method.toUpperCase();
  const body = cf.request.body;
  let bytes: Buffer | undefined;
  if (body?.data)
    bytes = body.encoding === 'base64' ? Buffer.from(body.data, 'base64') : Buffer.from(body.data, 'utf8');
  const init: RequestInit = { method, headers };
  if (bytes && method !== 'GET' && method !== 'HEAD') init.body = new Uint8Array(bytes);
  return {
    request: new Request(`https://${host}${cf.request.uri}${query}`, init),
    extras: { bodyTruncated: body?.inputTruncated === true, requestId: cf.config.requestId },
  };
}

/** Converts a Response into a CloudFront generated response (body as text; replies are JSON). */
export async function responseToCloudFront(response: Response): Promise<CloudFrontResultResponse> {
  const headers: CloudFrontHeaders = {};
  response.headers.forEach((value, key) => {
    if (!READ_ONLY_HEADERS.has(key)) headers[key] = [{ key, value }];
  });
  return {
    status: String(response.status),
    statusDescription: response.statusText || undefined,
    headers,
    body: await response.text(),
    bodyEncoding: 'text',
  };
}

/** The Lambda@Edge origin-request handler body: every request is answered here, none reaches the origin. */
export async function handleCloudFront(
  event: CloudFrontRequestEvent,
  deps: EdgeDeps,
): Promise<CloudFrontResultResponse> {
  const { request, extras } = requestFromCloudFront(event);
  return responseToCloudFront(await fetchHandler(request, deps, extras));
}
