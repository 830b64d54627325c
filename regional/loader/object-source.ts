// Landing-object port: opens an S3 object as a byte stream; the S3 adapter serves AWS and the local stand-in.
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectReadError } from './errors.ts';

/** Where a landing object lives. */
export interface ObjectRef {
  bucket: string;
  key: string;
}

/** Opens landing objects. One method so tests and tools can read from anywhere S3-shaped. */
export interface ObjectSource {
  open(ref: ObjectRef): Promise<Readable>;
}

/**
 * S3 (or S3-compatible) source. The body is streamed, never buffered whole. The local stack points
 * the same client at the local S3 stand-in with `endpoint` + `forcePathStyle`, so this adapter is
 * what runs in both places.
 */
export function s3ObjectSource(s3: S3Client): ObjectSource {
  return {
    async open(ref) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
        if (!out.Body) throw new Error('empty body');
        return out.Body as Readable;
      } catch (cause) {
        throw new ObjectReadError(`cannot read s3://${ref.bucket}/${ref.key}`, { cause });
      }
    },
  };
}
