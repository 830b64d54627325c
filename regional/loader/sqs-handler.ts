// SQS adapter: each message carries S3 notifications; failed messages are reported (partial batch response).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LoadResult } from './load-object.ts';
import type { ObjectRef } from './object-source.ts';
import { objectRefsOf } from './s3-event.ts';

/** Minimal structured logger (Powertools' Logger satisfies it). */
export interface LoaderLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Dependencies of the SQS handler: the core load, and where to log. */
export interface SqsHandlerDeps {
  load: (ref: ObjectRef) => Promise<LoadResult>;
  logger: LoaderLogger;
}

/**
 * Builds the Lambda handler. A message fails (and SQS redelivers it, then moves it to the DLQ after
 * maxReceiveCount) when any object it names fails to load; the other messages of the batch are
 * unaffected. Loads are idempotent, so redelivering a message whose objects partly loaded is safe.
 */
export function createSqsHandler(
  deps: SqsHandlerDeps,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const refs = objectRefsOf(record.body);
    for (const ref of refs) {
      try {
        const result = await deps.load(ref);
        deps.logger.info('object loaded', {
          bucket: ref.bucket,
          key: ref.key,
          messageId: record.messageId,
          ...result,
        });
      } catch (error) {
        deps.logger.error('object load failed', {
          bucket: ref.bucket,
          key: ref.key,
          messageId: record.messageId,
          error:
            error instanceof Error
              ? { name: error.name, message: error.message, cause: String(error.cause ?? '') }
              : String(error),
        });
        throw error;
      }
    }
  };
  return async (event, context) => {
    // One processor per invocation: its state is per batch, and the local stack calls concurrently.
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, recordHandler, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  };
}

/** Wraps one S3 notification body as a single-record SQS event (the local stack's delivery path). */
export function sqsEventOf(body: string, messageId: string): SQSEvent {
  return {
    Records: [
      {
        messageId,
        receiptHandle: messageId,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:llmo-landing-events',
        awsRegion: 'local',
      },
    ],
  };
}
