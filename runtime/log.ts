// The one structured logger of every process: JSON lines {level, time, service, message, request_id?, ...fields}.

/** Log levels in increasing severity; `silent` writes nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Extra fields of one line; never secrets, keys or request bodies. */
export type LogFields = Record<string, unknown>;

/** A level-filtered JSON logger. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Names the process or function in every line (from configuration, not hard-coded). */
  service: string;
  level?: LogLevel;
  /** Where a finished line goes (stdout by default); tests capture here. */
  write?: (line: string) => void;
  /** Fields every line carries right after `message` (e.g. request_id, correlation_id). */
  context?: () => LogFields;
}

/** The fixed keys, in the order every line starts with; fields cannot overwrite them. */
export const LOG_KEYS = ['level', 'time', 'service', 'message'] as const;

/** Formats one line (without the newline): the fixed keys first, then the context, then the fields. */
export function formatLogLine(
  level: Exclude<LogLevel, 'silent'>,
  service: string,
  message: string,
  fields?: LogFields,
  context?: LogFields,
): string {
  const entry: LogFields = { level, time: new Date().toISOString(), service, message };
  for (const extra of [context, fields]) {
    if (!extra) continue;
    for (const [key, value] of Object.entries(extra)) if (!Object.hasOwn(entry, key)) entry[key] = value;
  }
  return JSON.stringify(entry);
}

/** Writes one JSON line per entry at or above `level` (default info). */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const at = (entryLevel: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
    if (RANK[entryLevel] < RANK[level]) return;
    write(`${formatLogLine(entryLevel, options.service, message, fields, options.context?.())}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Writes nothing (tests, tools that want quiet). */
export const silentLogger: Logger = createLogger({ service: 'silent', level: 'silent' });
