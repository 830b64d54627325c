// The SDK's SigV4 signer (@smithy/signature-v4) over node:crypto: the reference the stand-ins check signatures with.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider, SourceData } from '@smithy/types';

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** SHA-256 (or HMAC-SHA-256 when given a secret) in the shape the signer expects, on node:crypto. */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    throw new Error('NodeSha256 is single-use');
  }
}

/**
 * A SigV4 signer for `service` in `region`, exactly as the SDK clients sign: with `applyChecksum` (the
 * default) the payload hash is sent and signed as `x-amz-content-sha256`, as the SDK does.
 */
export function createSigner(
  service: string,
  region: string,
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>,
  applyChecksum = true,
): SignatureV4 {
  return new SignatureV4({ service, region, credentials, sha256: NodeSha256, applyChecksum });
}
