// Content-Type and Content-Encoding checks (415 for anything but JSON, gzip or identity).
import { UnsupportedMediaTypeError } from '../http/errors.ts';
import type { HeaderReader } from '../http/reply-types.ts';

/** How the body is encoded on the wire. */
export type BodyEncoding = 'gzip' | 'identity';

/** Validates the media type headers and returns the body encoding. */
export function checkContentHeaders(headers: HeaderReader): BodyEncoding {
  const type = headers.get('content-type');
  if (!type) throw new UnsupportedMediaTypeError('Content-Type must be application/json');
  const [mediaType = '', ...params] = type.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    throw new UnsupportedMediaTypeError('Content-Type must be application/json');
  }
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8')
      throw new UnsupportedMediaTypeError('charset must be utf-8');
  }
  const encoding = (headers.get('content-encoding') ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  throw new UnsupportedMediaTypeError('Content-Encoding must be gzip or identity');
}
