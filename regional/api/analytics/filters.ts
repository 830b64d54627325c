// Dimension filters shared by overview, timeseries, breakdown, the explorer and export: parsing and SQL.
import * as v from 'valibot';
import { codePointLengthWithin, EVENT_LIMITS, EVENT_PATTERNS } from '../../../contract/index.ts';
import { BadRequestError } from '../errors.ts';
import { param, parseQuery, patternParam, type QueryDecl, textParam } from '../query.ts';

/**
 * Filters of one analytics request. Dimensions kept in the per-minute rollups (model, provider,
 * operation, status, environment) can be answered from them; the others (user, session, trace, error
 * type, attributes) exist only on raw events and send a request to `telemetry_events`.
 */
export type Filters = {
  model?: string;
  provider?: string;
  operation?: string;
  environment?: string;
  status?: 'ok' | 'error';
  user_id?: string;
  session_id?: string;
  trace_id?: string;
  error_type?: string;
  /** `attr.<key>=<value>` pairs: the attribute's value as text (`true`, `3`, `/chat`). */
  attrs: Array<[string, string]>;
};

/** Rollup dimensions, matched case-insensitively (`OpenAI` finds `openai`). */
export const ROLLUP_FILTERS = ['model', 'provider', 'operation', 'environment'] as const;
/** Dimensions only raw events have. */
export const EVENT_FILTERS = ['user_id', 'session_id', 'trace_id', 'error_type'] as const;
/** Most `attr.<key>` filters in one request. */
export const MAX_ATTR_FILTERS = 5;

const ATTR_KEY = new RegExp(EVENT_PATTERNS.mapKey);

/**
 * Declared filter parameters, each bounded as the contract bounds that field (so any stored value can
 * be asked for) and accepting any letter case where the match ignores case.
 */
export const FILTER_QUERY = {
  model: textParam('invalid_filter', EVENT_LIMITS.modelMaxLength),
  provider: patternParam(
    'invalid_filter',
    /^[A-Za-z0-9_.-]{1,64}$/,
    'a provider name [a-z0-9_.-], 1 to 64 characters',
  ),
  operation: patternParam(
    'invalid_filter',
    /^[A-Za-z0-9_.]{1,64}$/,
    'an operation name [a-z0-9_.], 1 to 64 characters',
  ),
  environment: textParam('invalid_filter', EVENT_LIMITS.environmentMaxLength),
  status: param(
    v.optional(v.pipe(v.string(), v.toLowerCase(), v.picklist(['ok', 'error']))),
    'invalid_filter',
    'be ok or error',
  ),
  user_id: textParam('invalid_filter', EVENT_LIMITS.opaqueIdMaxLength),
  session_id: textParam('invalid_filter', EVENT_LIMITS.opaqueIdMaxLength),
  trace_id: param(
    v.optional(v.pipe(v.string(), v.regex(/^[0-9a-fA-F]{32}$/), v.toLowerCase())),
    'invalid_filter',
    'be 32 hexadecimal characters',
  ),
  error_type: textParam('invalid_filter', EVENT_LIMITS.errorTypeMaxLength),
} satisfies QueryDecl;

const AttrValue = v.pipe(
  v.string(),
  v.check((s) => !s.includes('\u0000') && codePointLengthWithin(s, 1, EVENT_LIMITS.mapStringValueMaxLength)),
);

/**
 * The `attr.<key>=<value>` filters of a query (not declarable one by one: the key is part of the
 * name). 400 `invalid_filter` naming the parameter.
 */
export function parseAttrFilters(query: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(query)) {
    if (!name.startsWith('attr.')) continue;
    const key = name.slice(5);
    if (!ATTR_KEY.test(key) || !v.is(AttrValue, raw)) {
      throw new BadRequestError(
        'invalid_filter',
        `${name.slice(0, 140)} must name an attribute key of 1 to 128 [A-Za-z0-9_.:-] and a value of 1 to 1024 characters without NUL`,
        { parameter: name.slice(0, 140) },
      );
    }
    out.push([key, raw]);
  }
  if (out.length > MAX_ATTR_FILTERS) {
    throw new BadRequestError('invalid_filter', `at most ${MAX_ATTR_FILTERS} attr.<key> filters`, {
      parameter: 'attr',
    });
  }
  return out;
}

/** Every filter of a query: the declared ones (already parsed by `parseQuery`) plus `attr.<key>`. */
export function filtersOf(parsed: Partial<Omit<Filters, 'attrs'>>, query: Record<string, unknown>): Filters {
  const f: Filters = { attrs: parseAttrFilters(query) };
  for (const k of [...ROLLUP_FILTERS, ...EVENT_FILTERS] as const) {
    const val = parsed[k];
    if (val !== undefined) f[k] = val;
  }
  if (parsed.status !== undefined) f.status = parsed.status;
  return f;
}

/** Parses the filters of a query on their own (routes that declare nothing else use parseQuery directly). */
export function parseFilters(query: Record<string, unknown>): Filters {
  return filtersOf(parseQuery(FILTER_QUERY, query), query);
}

/** True when a filter names a dimension the rollups do not have, so raw events must answer. */
export function needsEvents(f: Filters): boolean {
  return EVENT_FILTERS.some((k) => f[k] !== undefined) || f.attrs.length > 0;
}

/**
 * The `attr.<key>=<value>` filter the attribute tier can answer: the only one of the request, with no
 * user, session, trace or error-type filter beside it (those need raw events anyway). Null otherwise.
 */
export function tierAttribute(f: Filters): [string, string] | null {
  if (f.attrs.length !== 1 || EVENT_FILTERS.some((k) => f[k] !== undefined)) return null;
  return f.attrs[0] ?? null;
}

/** True when any filter is set. */
export function hasFilters(f: Filters): boolean {
  return needsEvents(f) || ROLLUP_FILTERS.some((k) => f[k] !== undefined) || f.status !== undefined;
}

/** A SQL condition (`AND …` clauses, possibly empty) and its parameters, numbered from `first`. */
export type Condition = { sql: string; params: unknown[] };

function rollupClauses(f: Filters, add: (value: unknown) => string): string[] {
  const out: string[] = [];
  // Column names come from the fixed list above, never from input.
  for (const k of ROLLUP_FILTERS) {
    const val = f[k];
    if (val === undefined) continue;
    // provider and operation are lower case by contract: an exact match on the lower-cased input.
    out.push(
      k === 'provider' || k === 'operation'
        ? `${k} = ${add(val.toLowerCase())}`
        : `lower(${k}) = lower(${add(val)})`,
    );
  }
  if (f.status !== undefined) out.push(`status = ${add(f.status)}`);
  return out;
}

function builder(first: number) {
  const params: unknown[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${first + params.length - 1}::text`;
  };
  return { params, add };
}

/** Conditions on `event_rollups_1m` (only the rollup dimensions: callers check needsEvents first). */
export function rollupCondition(f: Filters, first: number): Condition {
  const { params, add } = builder(first);
  const clauses = rollupClauses(f, add);
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

/**
 * Conditions on `telemetry_events`. user/session/trace are exact (opaque ids, served by their
 * indexes); error type and the rollup dimensions ignore case; attributes compare the value as text.
 */
export function eventCondition(f: Filters, first: number): Condition {
  const { params, add } = builder(first);
  const clauses = rollupClauses(f, add);
  if (f.user_id !== undefined) clauses.push(`user_id = ${add(f.user_id)}`);
  if (f.session_id !== undefined) clauses.push(`session_id = ${add(f.session_id)}`);
  if (f.trace_id !== undefined) clauses.push(`trace_id = ${add(f.trace_id)}`);
  if (f.error_type !== undefined) {
    // status = 'error' lets the planner use the partial index of failed events.
    clauses.push(`status = 'error' AND lower(error_type) = lower(${add(f.error_type)})`);
  }
  for (const [key, val] of f.attrs) clauses.push(`(event -> 'attributes' ->> ${add(key)}) = ${add(val)}`);
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}
