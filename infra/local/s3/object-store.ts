// File-backed object store behind the local S3 stand-in: buckets are directories, objects are files.
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createLogger, type Logger } from '../../../runtime/log.ts';
import { privateDir, type SyncDir, syncDir, writeFileDurably } from '../private-fs.ts';
import { setAside } from '../set-aside.ts';

/** What is known about one stored object. */
export interface ObjectMeta {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  contentEncoding?: string;
  lastModified: string;
  metadata: Record<string, string>;
}

/** Thrown for a missing bucket or object (mapped to NoSuchBucket / NoSuchKey). */
export class NoSuchEntityError extends Error {
  override name = 'NoSuchEntityError';
  constructor(readonly code: 'NoSuchBucket' | 'NoSuchKey') {
    super(code);
  }
}

const fileName = (key: string) => createHash('sha256').update(key).digest('hex');

/** Parses a metadata sidecar; throws when it is not JSON or lacks what listing and reading need. */
function parseMeta(text: string): ObjectMeta {
  const meta = JSON.parse(text) as Partial<ObjectMeta> | null;
  if (typeof meta?.key !== 'string' || typeof meta.size !== 'number' || typeof meta.etag !== 'string') {
    throw new Error('not an object metadata record');
  }
  return meta as ObjectMeta;
}

/**
 * Objects live at `<root>/<bucket>/objects/<sha256(key)>` with a JSON sidecar in `meta/`; the sidecar is
 * written last (after an atomic rename of the data), so a listed object always has its data. An index
 * per bucket is loaded from the sidecars on first use and kept in memory (one writer: this process).
 * A sidecar that cannot be read back is moved aside as `<name>.json.corrupt-<time>` and logged as an
 * error; its object's data stays in `objects/` (the bucket lists without it until it is repaired).
 */
export class ObjectStore {
  private readonly indexes = new Map<string, Promise<Map<string, ObjectMeta>>>();

  private readonly syncDir: SyncDir;
  private readonly logger: Logger;

  /**
   * `options.syncDir`: how a folder is synced after an object is renamed into it (default fsync; tests
   * observe it); `options.logger`: where an unreadable sidecar is reported.
   */
  constructor(
    private readonly root: string,
    options: { syncDir?: SyncDir; logger?: Logger } = {},
  ) {
    this.syncDir = options.syncDir ?? syncDir;
    this.logger = options.logger ?? createLogger({ service: 's3' });
  }

  async createBucket(bucket: string): Promise<void> {
    // Landing objects hold every tenant's events: owner-only folders and files.
    await privateDir(this.root);
    await privateDir(path.join(this.root, bucket, 'objects'));
    await privateDir(path.join(this.root, bucket, 'meta'));
  }

  async bucketExists(bucket: string): Promise<boolean> {
    return stat(path.join(this.root, bucket, 'meta')).then(
      () => true,
      () => false,
    );
  }

  async put(
    bucket: string,
    key: string,
    data: Buffer,
    options: { contentType?: string; contentEncoding?: string; metadata?: Record<string, string> },
  ): Promise<ObjectMeta> {
    const index = await this.index(bucket);
    const name = fileName(key);
    const meta: ObjectMeta = {
      key,
      size: data.byteLength,
      etag: createHash('md5').update(data).digest('hex'),
      contentType: options.contentType ?? 'binary/octet-stream',
      lastModified: new Date().toISOString(),
      metadata: options.metadata ?? {},
      ...(options.contentEncoding ? { contentEncoding: options.contentEncoding } : {}),
    };
    const dir = path.join(this.root, bucket);
    // Durable before it is answered (the data and its name, then the sidecar that makes it listed after a
    // restart); synced before it is visible, as the Firehose stand-in forgets its copy once it has landed.
    await writeFileDurably(path.join(dir, 'objects', name), data, this.syncDir);
    await writeFileDurably(path.join(dir, 'meta', `${name}.json`), JSON.stringify(meta), this.syncDir);
    index.set(key, meta);
    return meta;
  }

  async head(bucket: string, key: string): Promise<ObjectMeta> {
    const meta = (await this.index(bucket)).get(key);
    if (!meta) throw new NoSuchEntityError('NoSuchKey');
    return meta;
  }

  async open(bucket: string, key: string): Promise<{ meta: ObjectMeta; stream: ReadStream }> {
    const meta = await this.head(bucket, key);
    return { meta, stream: createReadStream(path.join(this.root, bucket, 'objects', fileName(key))) };
  }

  async delete(bucket: string, key: string): Promise<void> {
    const index = await this.index(bucket);
    if (!index.delete(key)) return;
    const name = fileName(key);
    await rm(path.join(this.root, bucket, 'meta', `${name}.json`), { force: true });
    await rm(path.join(this.root, bucket, 'objects', name), { force: true });
  }

  /** All objects of the bucket whose key starts with `prefix`, sorted by key (UTF-16 order, ASCII-equal). */
  async list(bucket: string, prefix: string): Promise<ObjectMeta[]> {
    const index = await this.index(bucket);
    const out: ObjectMeta[] = [];
    for (const meta of index.values()) if (meta.key.startsWith(prefix)) out.push(meta);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private index(bucket: string): Promise<Map<string, ObjectMeta>> {
    // The promise is cached so concurrent first uses share one load (and see each other's writes).
    let loading = this.indexes.get(bucket);
    if (!loading) {
      loading = this.load(bucket);
      this.indexes.set(bucket, loading);
      loading.catch(() => this.indexes.delete(bucket));
    }
    return loading;
  }

  private async load(bucket: string): Promise<Map<string, ObjectMeta>> {
    if (!(await this.bucketExists(bucket))) throw new NoSuchEntityError('NoSuchBucket');
    const index = new Map<string, ObjectMeta>();
    const dir = path.join(this.root, bucket, 'meta');
    for (const file of await readdir(dir)) {
      if (!file.endsWith('.json')) continue;
      const text = await readFile(path.join(dir, file), 'utf8');
      try {
        const meta = parseMeta(text);
        index.set(meta.key, meta);
      } catch (error) {
        const what = 'object metadata sidecar';
        await setAside(path.join(dir, file), { logger: this.logger, what, error, syncDir: this.syncDir });
      }
    }
    return index;
  }
}
