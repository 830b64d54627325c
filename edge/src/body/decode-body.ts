// Body bytes → JSON text: as-sent size cap, capped gzip decompression, strict UTF-8.
import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { InvalidJsonError, PayloadTooLargeError } from '../http/errors.ts';
import { MAX_BODY_BYTES, MAX_DECOMPRESSED_BYTES } from '../limits.ts';
import type { BodyEncoding } from './content-headers.ts';

const gunzipAsync = promisify(gunzip);

/** Limits applied while decoding (tests shrink them). */
export interface DecodeLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

const DEFAULT_LIMITS: DecodeLimits = {
  maxBodyBytes: MAX_BODY_BYTES,
  maxDecompressedBytes: MAX_DECOMPRESSED_BYTES,
};

/** The body as text; `ascii` = every character is ASCII (then UTF-8 bytes = string length). */
export interface DecodedBody {
  text: string;
  ascii: boolean;
}

/** Decodes the body to text; 413 past a size cap, 400 invalid_json for bad gzip or invalid UTF-8. */
export async function decodeBody(
  body: Uint8Array | undefined,
  encoding: BodyEncoding,
  truncated: boolean,
  limits: DecodeLimits = DEFAULT_LIMITS,
): Promise<DecodedBody> {
  if (truncated || (body && body.byteLength > limits.maxBodyBytes)) {
    throw new PayloadTooLargeError(`body larger than ${limits.maxBodyBytes} bytes`);
  }
  const raw = body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.alloc(0);
  let bytes = raw;
  if (encoding === 'gzip') {
    try {
      // zlib stops producing output as soon as the cap is passed: a bomb costs at most the cap.
      bytes = await gunzipAsync(raw, { maxOutputLength: limits.maxDecompressedBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        throw new PayloadTooLargeError(`decompressed body larger than ${limits.maxDecompressedBytes} bytes`);
      }
      throw new InvalidJsonError('body is not valid gzip', { cause: error });
    }
  } else if (bytes.byteLength > limits.maxDecompressedBytes) {
    throw new PayloadTooLargeError(`body larger than ${limits.maxDecompressedBytes} bytes`);
  }
  if (!isUtf8(bytes)) throw new InvalidJsonError('body is not valid UTF-8');
  const text = bytes.toString('utf8');
  // Any non-ASCII character takes more UTF-8 bytes than UTF-16 units.
  return { text, ascii: text.length === bytes.byteLength };
}
