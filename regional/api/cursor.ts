// Opaque keyset cursors: base64url JSON, checked against a valibot schema on the way back in.
import * as v from 'valibot';
import { BadRequestError } from './errors.ts';

/** Encodes a keyset position; clients treat it as opaque. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes and validates a cursor; anything else is a 400 `invalid_cursor`. */
export function decodeCursor<S extends v.GenericSchema>(cursor: string, schema: S): v.InferOutput<S> {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new BadRequestError('invalid_cursor', 'cursor is not one this API issued', { cause });
  }
  const result = v.safeParse(schema, parsed);
  if (!result.success) throw new BadRequestError('invalid_cursor', 'cursor is not one this API issued');
  return result.output;
}
