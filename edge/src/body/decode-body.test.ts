// Body decoding: content headers, size caps as sent and decompressed, gzip errors, strict UTF-8.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkContentHeaders } from './content-headers.ts';
import { decodeBody } from './decode-body.ts';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] });
const LIMITS = { maxBodyBytes: 1000, maxDecompressedBytes: 5000 };

describe('checkContentHeaders', () => {
  it('accepts JSON with any casing, spacing and a utf-8 charset; gzip or identity', () => {
    expect(checkContentHeaders(headers({ 'content-type': 'Application/JSON ; Charset="UTF-8"' }))).toBe(
      'identity',
    );
    expect(
      checkContentHeaders(headers({ 'content-type': 'application/json', 'content-encoding': ' GZIP ' })),
    ).toBe('gzip');
    expect(
      checkContentHeaders(headers({ 'content-type': 'application/json', 'content-encoding': 'identity' })),
    ).toBe('identity');
  });

  it('answers 415 for other media types, charsets and encodings', () => {
    const cases: Array<Record<string, string>> = [
      {},
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/jsonx' },
      { 'content-type': 'application/json; charset=latin1' },
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip' },
    ];
    for (const h of cases) {
      expect(() => checkContentHeaders(headers(h))).toThrowError(expect.objectContaining({ status: 415 }));
    }
  });
});

describe('decodeBody', () => {
  it('decodes identity and gzip bodies', async () => {
    expect(await decodeBody(Buffer.from('{"a":"é"}'), 'identity', false, LIMITS)).toEqual({
      text: '{"a":"é"}',
      ascii: false,
    });
    expect(await decodeBody(gzipSync('{"a":1}'), 'gzip', false, LIMITS)).toEqual({
      text: '{"a":1}',
      ascii: true,
    });
  });

  it('answers 413 past the as-sent limit, when truncated, and past the decompressed limit (gzip bomb)', async () => {
    const tooLarge = expect.objectContaining({ status: 413 });
    await expect(decodeBody(Buffer.alloc(1001), 'identity', false, LIMITS)).rejects.toThrowError(tooLarge);
    await expect(decodeBody(Buffer.alloc(10), 'identity', true, LIMITS)).rejects.toThrowError(tooLarge);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.byteLength).toBeLessThan(1_048_576);
    await expect(decodeBody(bomb, 'gzip', false, LIMITS)).rejects.toThrowError(tooLarge);
  });

  it('answers 400 invalid_json for corrupt or truncated gzip and for invalid UTF-8', async () => {
    const invalid = expect.objectContaining({ code: 'invalid_json' });
    const gz = gzipSync('{"events":[]}');
    await expect(decodeBody(gz.subarray(0, gz.length - 6), 'gzip', false, LIMITS)).rejects.toThrowError(
      invalid,
    );
    await expect(decodeBody(Buffer.from('not gzip'), 'gzip', false, LIMITS)).rejects.toThrowError(invalid);
    await expect(
      decodeBody(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'identity', false, LIMITS),
    ).rejects.toThrowError(invalid);
  });
});
