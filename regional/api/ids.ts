// Path id checks: a malformed id can name nothing, so it is a 404 like any id the caller cannot see.
import { NotFoundError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID string. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Returns the lower-cased id, or throws 404 for anything that is not a UUID. */
export function pathId(value: unknown, what: string): string {
  if (!isUuid(value)) throw new NotFoundError(`No such ${what}`);
  return value.toLowerCase();
}
