// Decodes `Content-Encoding: aws-chunked` bodies (what the AWS SDK sends for streaming/checksummed uploads).

/**
 * Decodes an aws-chunked body: `<hex-size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n\r\n`.
 * Signatures and trailing checksums are not verified (the stand-in trusts its local clients).
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const lineEnd = body.indexOf('\r\n', i);
    if (lineEnd === -1) throw new Error('aws-chunked: missing chunk header terminator');
    const header = body.subarray(i, lineEnd).toString('latin1');
    const size = Number.parseInt(header.split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size < 0) throw new Error('aws-chunked: bad chunk size');
    i = lineEnd + 2;
    if (size === 0) break; // trailers follow; ignored
    if (i + size > body.length) throw new Error('aws-chunked: truncated chunk');
    parts.push(body.subarray(i, i + size));
    i += size + 2;
  }
  return Buffer.concat(parts);
}

/** True when the request's Content-Encoding list includes aws-chunked. */
export function isAwsChunked(contentEncoding: string | undefined): boolean {
  return (contentEncoding ?? '').split(',').some((part) => part.trim().toLowerCase() === 'aws-chunked');
}
