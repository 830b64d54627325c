// aws-chunked bodies (signed or unsigned, with trailers) decode to the original bytes.
import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.ts';

describe('decodeAwsChunked', () => {
  it('decodes signed and unsigned chunks and ignores trailers', () => {
    const signed = Buffer.from(
      '5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n\r\n',
    );
    expect(decodeAwsChunked(signed).toString()).toBe('hello world');
    const unsigned = Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n');
    expect(decodeAwsChunked(unsigned).toString()).toBe('abc');
  });

  it('rejects truncated bodies', () => {
    expect(() => decodeAwsChunked(Buffer.from('a\r\nabc'))).toThrow(/truncated/);
  });

  it('recognises the encoding in a list', () => {
    expect(isAwsChunked('gzip, aws-chunked')).toBe(true);
    expect(isAwsChunked('gzip')).toBe(false);
    expect(isAwsChunked(undefined)).toBe(false);
  });
});
