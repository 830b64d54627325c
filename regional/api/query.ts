// Query parameters declared per route: one valibot schema each, and the named 400 its failure gives.
import * as v from 'valibot';
import { codePointLengthWithin, isRfc3339Timestamp } from '../../contract/index.ts';
import { BadRequestError } from './errors.ts';

/** A query value as a schema sees it: the parameter's first value, `undefined` when absent or empty. */
export type RawValue = string | undefined;

/**
 * One declared parameter: its schema, the 400's `code`, and how the message ends ("<name> must …").
 * Every value reaching SQL has passed one of these, so PostgreSQL never sees a value it would refuse.
 */
export type Param<T> = { schema: v.GenericSchema<RawValue, T>; code: string; expected: string };

/** A route's parameters by name; `QueryOf` is what `parseQuery` returns for it. */
export type QueryDecl = Record<string, Param<unknown>>;
export type QueryOf<D extends QueryDecl> = { [K in keyof D]: D[K] extends Param<infer T> ? T : never };

/** Declares a parameter (see `Param`). */
export function param<T>(schema: v.GenericSchema<RawValue, T>, code: string, expected: string): Param<T> {
  return { schema, code, expected };
}

/**
 * Parses a route's query against its declaration, in declaration order; the first invalid parameter
 * is a 400 with its code, a message naming it, and `parameter` set to its name. Undeclared
 * parameters are ignored.
 */
export function parseQuery<D extends QueryDecl>(decl: D, query: Record<string, unknown>): QueryOf<D> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(decl)) {
    const raw = query[name];
    const value = raw === undefined || raw === '' ? undefined : raw;
    const result = typeof value === 'string' || value === undefined ? v.safeParse(p.schema, value) : null;
    if (!result?.success) {
      throw new BadRequestError(p.code, `${name} must ${p.expected}`, { parameter: name });
    }
    out[name] = result.output;
  }
  return out as QueryOf<D>;
}

// ---- building blocks (compose these; a new parameter is one line in its route's declaration) ----

/** A required parameter's schema: absent fails. */
const present = v.string();

/** `schema` when the parameter is given, `fallback` when it is absent. */
function orDefault<I extends RawValue, O, F>(
  schema: v.GenericSchema<I, O>,
  fallback: F,
): v.GenericSchema<I | undefined, O | F> {
  return v.pipe(
    v.optional(schema),
    v.transform((x) => (x === undefined ? fallback : x)),
  ) as v.GenericSchema<I | undefined, O | F>;
}

/** Integer in 1..max given as decimal digits, `fallback` when absent. 400 `invalid_limit`. */
export function limitParam(fallback: number, max: number): Param<number> {
  return param(
    orDefault(
      v.pipe(present, v.regex(/^\d{1,7}$/), v.transform(Number), v.minValue(1), v.maxValue(max)),
      fallback,
    ),
    'invalid_limit',
    `be an integer from 1 to ${max}`,
  );
}

/** Optional UUID, lower-cased. */
export function uuidParam(code: string): Param<string | undefined> {
  return param(v.optional(v.pipe(present, v.uuid(), v.toLowerCase())), code, 'be a UUID');
}

/** Optional choice among fixed values. */
export function enumParam<const T extends readonly [string, ...string[]]>(
  values: T,
  code: string,
): Param<T[number] | undefined> {
  return param(v.optional(v.picklist(values)), code, `be one of ${values.join(', ')}`);
}

/** Required choice among fixed values. */
export function requiredEnumParam<const T extends readonly [string, ...string[]]>(
  values: T,
  code: string,
): Param<T[number]> {
  return param(v.picklist(values), code, `be one of ${values.join(', ')}`);
}

/**
 * Timestamps the API accepts: RFC 3339 with an offset, seconds optional, years 1970–9999 (what
 * PostgreSQL and every stored event can hold), a real calendar day.
 */
const INSTANT_RE =
  /^(?:19[7-9]\d|[2-9]\d{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;

/** A timestamp string as `instantParam` accepts it, as a schema (also used inside cursors). */
export const InstantString = v.pipe(
  v.string(),
  v.regex(INSTANT_RE),
  v.check((s) => {
    const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
  }),
);

/** Optional timestamp → Date. */
export function instantParam(code: string): Param<Date | undefined> {
  return param(
    v.optional(
      v.pipe(
        InstantString,
        v.transform((s) => new Date(s)),
      ),
    ),
    code,
    'be an RFC 3339 timestamp with offset, years 1970 to 9999',
  );
}

/** Optional free-text exact-match filter: 1 to `max` code points, no NUL (PostgreSQL text cannot hold one). */
export function textParam(code: string, max: number): Param<string | undefined> {
  return param(
    v.optional(
      v.pipe(
        present,
        v.check((s) => !s.includes('\u0000') && codePointLengthWithin(s, 1, max)),
      ),
    ),
    code,
    `be 1 to ${max} characters without NUL`,
  );
}

/** Optional filter matching a pattern (e.g. the contract's pattern for that event field). */
export function patternParam(code: string, pattern: RegExp, what: string): Param<string | undefined> {
  return param(v.optional(v.pipe(present, v.regex(pattern))), code, `be ${what}`);
}

/** Strict RFC 3339 timestamp as PostgreSQL prints one (for cursor fields). */
export const PrintedTimestamp = v.pipe(v.string(), v.maxLength(40), v.check(isRfc3339Timestamp));

/**
 * Opaque keyset cursor: base64url JSON whose decoded value must pass `schema`; `null` when absent.
 * 400 `invalid_cursor`. Clients treat cursors as opaque; `encodeCursor` makes them.
 */
export function cursorParam<S extends v.GenericSchema>(schema: S): Param<v.InferOutput<S> | null> {
  const decoded = v.pipe(
    present,
    v.regex(/^[A-Za-z0-9_-]{1,512}$/),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return JSON.parse(Buffer.from(dataset.value, 'base64url').toString('utf8')) as unknown;
      } catch {
        addIssue({ message: 'not JSON' });
        return NEVER;
      }
    }),
    schema,
  );
  return param(orDefault(decoded, null), 'invalid_cursor', 'be a cursor this API issued');
}

/** Encodes a keyset position for `cursorParam`. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}
