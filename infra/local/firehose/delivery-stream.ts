// One local delivery stream: buffers record data, lands gzip NDJSON objects, notifies at least once.
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { objectCreatedEvent, type S3EventNotification } from '../../../contract/index.ts';

const gzipAsync = promisify(gzip);

/** Writes one object to the landing store; returns its ETag. */
export type LandObject = (key: string, body: Buffer) => Promise<{ etag: string }>;
/** Delivers one S3 event notification; rejects to ask for redelivery. */
export type Notify = (event: S3EventNotification) => Promise<void>;

/** Options of a delivery stream. */
export interface DeliveryStreamOptions {
  name: string;
  bucket: string;
  region: string;
  /** Flush when this many bytes are buffered (Firehose buffering hint "size"). */
  bufferBytes: number;
  /** Flush this long after the first buffered record (buffering hint "interval"). */
  bufferIntervalMs: number;
  land: LandObject;
  notify?: Notify;
  /** Called when landing or notifying fails (before the retry). */
  onError?: (what: 'land' | 'notify', error: unknown, attempt: number) => void;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY/MM/dd/HH/<stream>-1-<yyyy-MM-dd-HH-mm-ss>-<uuid>.gz`, in UTC, as Firehose names objects. */
export function objectKeyFor(stream: string, at: Date): string {
  const y = at.getUTCFullYear();
  const mo = pad(at.getUTCMonth() + 1);
  const d = pad(at.getUTCDate());
  const h = pad(at.getUTCHours());
  const stamp = `${y}-${mo}-${d}-${h}-${pad(at.getUTCMinutes())}-${pad(at.getUTCSeconds())}`;
  return `${y}/${mo}/${d}/${h}/${stream}-1-${stamp}-${randomUUID()}.gz`;
}

/**
 * Record data is concatenated exactly as given (Firehose adds no delimiter; the edge's records end in
 * '\n'). Landing is retried until it works; each landed object is then notified, with retries and
 * capped backoff until `notify` resolves (at-least-once: a notification may be delivered twice).
 */
export class DeliveryStream {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly work = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: DeliveryStreamOptions) {}

  /** Buffers accepted record data. */
  append(data: Buffer): void {
    this.chunks.push(data);
    this.bytes += data.byteLength;
    if (this.bytes >= this.options.bufferBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.bufferIntervalMs);
  }

  /** Starts landing whatever is buffered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.bytes === 0) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.bytes = 0;
    const job = this.deliver(data).finally(() => this.work.delete(job));
    this.work.add(job);
  }

  /** Flushes and waits until everything buffered so far is landed and notified (or `timeoutMs` passes). */
  async drain(timeoutMs = 10_000): Promise<void> {
    this.flush();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all([...this.work]), timeout]);
    clearTimeout(timer);
  }

  /** Drains, then stops retrying. */
  async stop(timeoutMs?: number): Promise<void> {
    await this.drain(timeoutMs);
    this.stopped = true;
  }

  private async deliver(data: Buffer): Promise<void> {
    const body = await gzipAsync(data);
    const at = new Date();
    const key = objectKeyFor(this.options.name, at);
    const { etag } = await this.retry('land', () => this.options.land(key, body));
    const notify = this.options.notify;
    if (!notify) return;
    const event = objectCreatedEvent({
      region: this.options.region,
      bucket: this.options.bucket,
      key,
      size: body.byteLength,
      etag,
      at,
    });
    await this.retry('notify', () => notify(event));
  }

  private async retry<T>(what: 'land' | 'notify', fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        this.options.onError?.(what, error, attempt);
        if (this.stopped) throw error;
        const delay = Math.min(5_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
