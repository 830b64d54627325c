// The one configuration reader: defaults, LOG_LEVEL in any case, and errors that name the variable but never its value.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConfigError, envLogLevel, logLevel, parseEnv, postgresUrl, serviceName } from './env.ts';

const Schema = v.object({
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: serviceName('llmo-test'),
});

describe('parseEnv', () => {
  it('validates and applies defaults', () => {
    expect(parseEnv(Schema, { DATABASE_URL: 'postgres://u:p@h/db', LOG_LEVEL: 'WARN' })).toEqual({
      DATABASE_URL: 'postgres://u:p@h/db',
      LOG_LEVEL: 'warn',
      POWERTOOLS_SERVICE_NAME: 'llmo-test',
    });
  });

  it('names the bad variable and never echoes its value', () => {
    const secret = 'mysql://root:hunter2@db/x';
    const attempt = () => parseEnv(Schema, { DATABASE_URL: secret });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('Invalid configuration: DATABASE_URL must be a postgres:// URL');
    expect(() => attempt()).not.toThrow(/hunter2/);
    expect(() => parseEnv(Schema, {})).toThrow('DATABASE_URL is required');
  });

  it('leaves the value out of the default valibot messages too (a schema without its own wording)', () => {
    const secret = 'postgres://u:hunter2@h/db';
    const attempt = () =>
      parseEnv(v.object({ A: v.pipe(v.string(), v.regex(/^x$/)), B: v.picklist(['a', 'b']) }), {
        A: secret,
        B: 'a',
      });
    expect(attempt).toThrow('Invalid configuration: A Invalid format: Expected /^x$/');
    expect(() => attempt()).not.toThrow(/hunter2/);
    expect(() => parseEnv(v.object({ B: v.picklist(['a', 'b']) }), { B: secret })).toThrow(
      /^Invalid configuration: B Invalid type: Expected \("a" \| "b"\)$/,
    );
  });

  it('reads LOG_LEVEL alone for processes with no other configuration', () => {
    expect(envLogLevel({})).toBe('info');
    expect(envLogLevel({ LOG_LEVEL: 'Debug' })).toBe('debug');
    expect(() => envLogLevel({ LOG_LEVEL: 'loud' })).toThrow(
      'LOG_LEVEL must be debug, info, warn, error or silent',
    );
  });
});
