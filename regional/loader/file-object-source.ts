// Landing-object source over a local directory (<root>/<bucket>/<key>): replaying a downloaded object, tests.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ObjectReadError } from './errors.ts';
import type { ObjectRef, ObjectSource } from './object-source.ts';

/** Reads `<root>/<bucket>/<key>`; keys may not climb out of the root. */
export function fileObjectSource(root: string): ObjectSource {
  return {
    async open(ref: ObjectRef): Promise<Readable> {
      const file = path.resolve(root, ref.bucket, ref.key);
      if (!file.startsWith(path.resolve(root) + path.sep))
        throw new ObjectReadError(`key escapes the root: ${ref.key}`);
      try {
        await access(file);
      } catch (cause) {
        throw new ObjectReadError(`cannot read ${file}`, { cause });
      }
      return createReadStream(file, { highWaterMark: 256 * 1024 });
    },
  };
}
