// Shared body parsing: named 400s for anything out of shape (query parameters: `query.ts`).
import * as v from 'valibot';
import { BadRequestError } from './errors.ts';

const NameBody = v.object({
  // PostgreSQL text cannot hold NUL: refused here rather than by the database as a 500.
  name: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1),
    v.maxLength(200),
    v.check((s) => !s.includes('\u0000')),
  ),
});

/** Parses `{"name": "…"}` bodies (projects, keys); 400 `invalid_body` naming the problem. */
export function parseNameBody(body: unknown): { name: string } {
  const result = v.safeParse(NameBody, body);
  if (!result.success) {
    throw new BadRequestError('invalid_body', 'body must be {"name": string of 1 to 200 characters, no NUL}');
  }
  return result.output;
}
