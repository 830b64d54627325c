// Reads landing-object references out of an SQS message body carrying an S3 event notification.
import { BadNotificationError } from './errors.ts';
import type { ObjectRef } from './object-source.ts';

type S3Notification = {
  Event?: string;
  Records?: Array<{ eventName?: string; s3?: { bucket?: { name?: string }; object?: { key?: string } } }>;
};

/**
 * Object references in one notification body. `s3:TestEvent` (sent when the notification is set up)
 * yields none. Keys arrive URL-encoded with '+' for spaces, as S3 sends them. Only ObjectCreated
 * events name objects to load.
 */
export function objectRefsOf(body: string): ObjectRef[] {
  let parsed: S3Notification;
  try {
    parsed = JSON.parse(body) as S3Notification;
  } catch (cause) {
    throw new BadNotificationError('SQS message body is not JSON', { cause });
  }
  if (!parsed || typeof parsed !== 'object')
    throw new BadNotificationError('SQS message body is not an object');
  if (parsed.Event === 's3:TestEvent') return [];
  if (!Array.isArray(parsed.Records)) throw new BadNotificationError('S3 notification has no Records');
  const refs: ObjectRef[] = [];
  for (const record of parsed.Records) {
    if (record.eventName && !record.eventName.startsWith('ObjectCreated')) continue;
    const bucket = record.s3?.bucket?.name;
    const rawKey = record.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof rawKey !== 'string') {
      throw new BadNotificationError('S3 record without bucket name or object key');
    }
    refs.push({ bucket, key: decodeURIComponent(rawKey.replace(/\+/g, ' ')) });
  }
  return refs;
}

/** An S3 event notification body for one created object (what S3 sends; the local Firehose sends it too). */
export function s3NotificationFor(ref: ObjectRef, size = 0): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime: new Date().toISOString(),
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: ref.bucket, arn: `arn:aws:s3:::${ref.bucket}` },
          object: { key: encodeURIComponent(ref.key).replace(/%2F/g, '/').replace(/%20/g, '+'), size },
        },
      },
    ],
  });
}
