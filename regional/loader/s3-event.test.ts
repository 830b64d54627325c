// S3 notification parsing: test events ignored, keys URL-decoded, malformed bodies rejected.
import { describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '../../contract/index.ts';
import { BadNotificationError } from './errors.ts';
import { objectRefsOf } from './s3-event.ts';

describe('objectRefsOf', () => {
  it('round-trips keys with spaces and special characters', () => {
    const ref = { bucket: 'llmo-landing', key: '2026/11/25/12/stream-1-2026 x+y.gz' };
    expect(objectRefsOf(JSON.stringify(objectCreatedEvent(ref)))).toEqual([ref]);
  });

  it('ignores s3:TestEvent and non-create events', () => {
    expect(objectRefsOf(JSON.stringify({ Event: 's3:TestEvent', Bucket: 'b' }))).toEqual([]);
    expect(
      objectRefsOf(
        JSON.stringify({
          Records: [
            { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'k' } } },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('rejects bodies that are not S3 notifications', () => {
    expect(() => objectRefsOf('nope')).toThrow(BadNotificationError);
    expect(() => objectRefsOf('{"hello":1}')).toThrow(BadNotificationError);
    expect(() => objectRefsOf('{"Records":[{"s3":{}}]}')).toThrow(BadNotificationError);
  });
});
