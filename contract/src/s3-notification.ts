// The S3 event notification (the JSON S3 sends to SQS) for one created object: the local Firehose sends it, tests build it.
import { randomBytes } from 'node:crypto';

/** One S3 event notification record (subset S3 always sends). */
export interface S3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: 'ObjectCreated:Put';
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size: number; eTag: string; sequencer: string };
  };
}

/** The notification body: `{"Records":[…]}`. */
export interface S3EventNotification {
  Records: S3EventRecord[];
}

let sequence = 0;

/** Object keys in notifications are URL-encoded, with spaces as '+', exactly as S3 does. */
export function encodeNotificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** The notification for an object that was just put. */
export function objectCreatedEvent(options: {
  bucket: string;
  key: string;
  region?: string;
  size?: number;
  etag?: string;
  at?: Date;
}): S3EventNotification {
  sequence++;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: options.region ?? 'us-east-1',
        eventTime: (options.at ?? new Date()).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:LOCALFIREHOSE' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
          'x-amz-id-2': randomBytes(24).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'landing-to-loader',
          bucket: {
            name: options.bucket,
            ownerIdentity: { principalId: 'LOCAL' },
            arn: `arn:aws:s3:::${options.bucket}`,
          },
          object: {
            key: encodeNotificationKey(options.key),
            size: options.size ?? 0,
            eTag: options.etag ?? '',
            sequencer: `${Date.now().toString(16).toUpperCase()}${sequence.toString(16).padStart(6, '0')}`,
          },
        },
      },
    ],
  };
}
