// SigV4 check of a request as AWS makes it: scope, clock skew, payload hash and signature recomputed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ProtocolError } from './protocol-error.ts';
import { createSigner } from './sdk-signer.ts';

/** What a signature is checked against. */
export interface SigV4Expectation {
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service: string;
  /** AWS refuses signatures more than 15 minutes off its clock. */
  maxSkewMs?: number;
  now?: () => number;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/**
 * Throws ProtocolError (with the AWS error type a real endpoint answers with) unless `body` and
 * `headers` carry a valid SigV4 signature for `expected`.
 */
export async function verifySigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  body: Buffer,
  expected: SigV4Expectation,
): Promise<void> {
  const authorization = header(request.headers, 'authorization');
  if (!authorization) {
    throw new ProtocolError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const auth = AUTH_RE.exec(authorization);
  const amzDate = header(request.headers, 'x-amz-date') ?? '';
  const date = DATE_RE.exec(amzDate);
  if (!auth || !date) {
    throw new ProtocolError(400, 'IncompleteSignatureException', 'Authorization or X-Amz-Date is malformed');
  }
  const [, accessKeyId, scopeDay, region, service, signedHeaderList, signature] = auth as unknown as string[];
  if (accessKeyId !== expected.credentials.accessKeyId) {
    throw new ProtocolError(
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (region !== expected.region || service !== expected.service || scopeDay !== amzDate.slice(0, 8)) {
    throw new ProtocolError(
      403,
      'InvalidSignatureException',
      'Credential should be scoped to a valid region and service',
    );
  }
  const signedAt = Date.UTC(
    Number(date[1]),
    Number(date[2]) - 1,
    Number(date[3]),
    Number(date[4]),
    Number(date[5]),
    Number(date[6]),
  );
  const now = (expected.now ?? Date.now)();
  if (Math.abs(now - signedAt) > (expected.maxSkewMs ?? 15 * 60_000)) {
    throw new ProtocolError(403, 'InvalidSignatureException', 'Signature expired');
  }
  const names = (signedHeaderList as string).split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) {
    throw new ProtocolError(403, 'InvalidSignatureException', 'host and x-amz-date must be signed');
  }
  const payloadHash = header(request.headers, 'x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(body).digest('hex')) {
    throw new ProtocolError(
      400,
      'XAmzContentSHA256Mismatch',
      'The provided x-amz-content-sha256 does not match the body',
    );
  }
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(request.headers, name);
    if (value === undefined) {
      throw new ProtocolError(403, 'InvalidSignatureException', `signed header ${name} is missing`);
    }
    headers[name] = value;
  }
  const url = new URL(request.url, 'http://placeholder');
  const sessionToken = header(request.headers, 'x-amz-security-token');
  const signer = createSigner(
    expected.service,
    expected.region,
    { ...expected.credentials, ...(sessionToken === undefined ? {} : { sessionToken }) },
    names.includes('x-amz-content-sha256'),
  );
  const resigned = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    },
    { signingDate: new Date(signedAt) },
  );
  const computed = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  const matches =
    computed.length === (signature as string).length &&
    timingSafeEqual(Buffer.from(computed), Buffer.from(signature as string));
  if (!matches) {
    throw new ProtocolError(
      403,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
}
