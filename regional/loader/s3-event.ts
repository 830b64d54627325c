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
