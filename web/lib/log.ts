// The dashboard server's logger: the repository's one log shape (runtime/log.ts), service `web`, LOG_LEVEL applied.
import 'server-only';
import { envLogLevel } from '../../runtime/env.ts';
import { createLogger, type Logger } from '../../runtime/log.ts';

let logger: Logger | undefined;

/** Created on first use, so a bad LOG_LEVEL fails the request that logs rather than the build. */
export function webLog(): Logger {
  logger ??= createLogger({ service: 'web', level: envLogLevel() });
  return logger;
}
