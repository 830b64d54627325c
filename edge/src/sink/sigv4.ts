// AWS Signature V4 for the edge's one request shape (a POST to `/` without query), written out.
//
// Why not the SDK's signer (@smithy/signature-v4): its generic canonicalisation costs 60–150 µs per
// 96 KB PutRecordBatch call on top of the payload hash, on every request. This signs exactly as it
// does with its default `applyChecksum` (payload hash sent and signed as `x-amz-content-sha256`, every
// header signed); sigv4.test.ts holds the two equal, and the local Firehose stand-in verifies every
// signature with the SDK's signer.
import { createHash, createHmac } from 'node:crypto';

/** AWS credentials (a session token with temporary ones, as Lambda's execution role has). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Fixed credentials, or a provider such as the SDK's default chain (memoised, refreshed before expiry). */
export type CredentialSource = AwsCredentials | (() => Promise<AwsCredentials>);

/** Signs `POST /` requests for one service and region. */
export type PostSigner = (
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  signingDate?: Date,
) => Promise<Record<string, string>>;

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** `20261126T021500Z`: the ISO time without separators or milliseconds. */
function amzDateOf(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Whatever canonicalValue would change: line breaks, tabs, runs of spaces, a space at either end. */
const NOT_CANONICAL = /[\r\n\t]| {2}|^ | $/;

/** A header value as the SDK's signer canonicalises it: line breaks and runs of blanks to one space, trimmed. */
function canonicalValue(value: string): string {
  if (!NOT_CANONICAL.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * A signer for `service` in `region`. `headers` must have lower-case names, include `host` and none
 * of the headers SigV4 leaves unsigned (user-agent, connection, proxy-*, …); the result is those
 * headers plus `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (with
 * temporary credentials) and `authorization`.
 */
export function createPostSigner(service: string, region: string, credentials: CredentialSource): PostSigner {
  // The signing key depends only on the secret and the day: derived once per day.
  let cached: { secret: string; day: string; key: Buffer } | undefined;
  const signingKey = (secret: string, day: string): Buffer => {
    if (cached?.secret !== secret || cached.day !== day) {
      const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
      cached = { secret, day, key };
    }
    return cached.key;
  };

  return async (headers, body, signingDate = new Date()) => {
    const creds = typeof credentials === 'function' ? await credentials() : credentials;
    const amzDate = amzDateOf(signingDate);
    const day = amzDate.slice(0, 8);
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const signed: Record<string, string> = {
      ...headers,
      'x-amz-date': amzDate,
      'x-amz-content-sha256': payloadHash,
      ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}),
    };
    const names = Object.keys(signed).sort();
    const signedHeaders = names.join(';');
    const canonicalHeaders = names
      .map((name) => `${name}:${canonicalValue(signed[name] as string)}\n`)
      .join('');
    const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const scope = `${day}/${region}/${service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const signature = createHmac('sha256', signingKey(creds.secretAccessKey, day))
      .update(stringToSign)
      .digest('hex');
    signed.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return signed;
  };
}
