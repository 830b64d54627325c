// Lambda logging: Powertools Logger (request context, cold start handling) printing the one shape of runtime/log.ts.
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';
import type { Logger, LogLevel } from './log.ts';

/** Formats Powertools' attributes as {level, time, service, message, request_id, ...fields}. */
class OneShapeFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel.toLowerCase(),
      time: attributes.timestamp.toISOString(),
      service: attributes.serviceName,
      message: attributes.message,
      request_id: attributes.lambdaContext?.awsRequestId,
    };
    const item = new LogItem({ attributes: base });
    const extra: LogAttributes = {};
    for (const [key, value] of Object.entries(additional)) if (!Object.hasOwn(base, key)) extra[key] = value;
    return item.addAttributes(extra);
  }
}

/** A Lambda's logger: the shared interface plus `addContext` to stamp each line with the invocation's request id. */
export interface LambdaLogger extends Logger {
  addContext(context: Context): void;
}

/** Creates the logger of one Lambda function; `service` comes from its configuration. */
export function createLambdaLogger(service: string, level: LogLevel): LambdaLogger {
  const logger = new PowertoolsLogger({
    serviceName: service,
    logLevel: level.toUpperCase() as 'INFO',
    logFormatter: new OneShapeFormatter(),
  });
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
    addContext: (context) => logger.addContext(context),
  };
}
