// Shared query/body parameter parsing: named 400s for anything out of shape.
import * as v from 'valibot';
import { BadRequestError } from './errors.ts';

/** `limit` as an integer in 1..max (default when absent); 400 `invalid_limit` otherwise. */
export function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new BadRequestError('invalid_limit', `limit must be an integer from 1 to ${max}`);
  }
  return n;
}

const NameBody = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
});

/** Parses `{"name": "…"}` bodies (projects, keys); 400 `invalid_body` naming the problem. */
export function parseNameBody(body: unknown): { name: string } {
  const result = v.safeParse(NameBody, body);
  if (!result.success) {
    throw new BadRequestError('invalid_body', 'body must be {"name": string of 1 to 200 characters}');
  }
  return result.output;
}
