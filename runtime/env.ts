// The one configuration reader: validates an environment against a valibot schema, failing loudly by variable name.
import * as v from 'valibot';
import type { LogLevel } from './log.ts';

/** A missing or invalid variable; the message names it, never its value (values may be passwords). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates `env` (process.env by default) against `schema`; throws {@link ConfigError} naming the first bad variable. */
export function parseEnv<const S extends v.GenericSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
): v.InferOutput<S> {
  const result = v.safeParse(schema, env);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const name = v.getDotPath(issue) ?? issue.path?.map((p) => String(p.key)).join('.');
  // A required variable that is not set at all: valibot's own wording ("Invalid key: …") says less.
  // valibot's default messages end "but received <the value>": cut that (the value may be a password).
  const message =
    issue.input === undefined ? 'is required' : issue.message.replace(` but received ${issue.received}`, '');
  throw new ConfigError(`Invalid configuration: ${name ? `${name} ` : ''}${message}`);
}

/** A postgres:// connection string (it carries a password: never log it). */
export const postgresUrl = v.pipe(
  v.string('is required'),
  v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
);

/** A whole number with a default, within [min, max]. */
export const wholeNumber = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,15}$/, 'must be a whole number'),
      v.transform(Number),
      v.number(),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    String(fallback),
  );

/** LOG_LEVEL in any case; default info. */
export const logLevel = v.optional(
  v.pipe(
    v.string(),
    v.toLowerCase(),
    v.picklist(
      ['debug', 'info', 'warn', 'error', 'silent'] satisfies LogLevel[],
      'must be debug, info, warn, error or silent',
    ),
  ),
  'info',
);

/** The name every log line carries; Lambdas get it from the stack (POWERTOOLS_SERVICE_NAME). */
export const serviceName = (fallback: string) => v.optional(v.pipe(v.string(), v.minLength(1)), fallback);

/** LOG_LEVEL alone, for a process (or a module's fallback logger) that reads no other configuration. */
export function envLogLevel(env: Readonly<Record<string, string | undefined>> = process.env): LogLevel {
  return parseEnv(v.object({ LOG_LEVEL: logLevel }), env).LOG_LEVEL;
}
