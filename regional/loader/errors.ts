// Loader error hierarchy: every failure that makes an object (and so its SQS message) fail.

/** Base of loader errors; `status` follows the repo convention (HTTP-like) for the one mapping place. */
export class LoaderError extends Error {
  readonly status: number = 500;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The landing object could not be read (missing, access denied, network). Retried by SQS. */
export class ObjectReadError extends LoaderError {
  override readonly status = 502;
}

/** The object was read but the database load failed (connection lost, timeout, deadlock). Retried. */
export class LoadFailedError extends LoaderError {
  override readonly status = 503;
}

/** The SQS message body is not an S3 event notification we understand. Goes to the DLQ after retries. */
export class BadNotificationError extends LoaderError {
  override readonly status = 400;
}
