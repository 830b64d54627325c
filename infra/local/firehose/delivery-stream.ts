// One local delivery stream: journals record data before acknowledging it, lands gzip NDJSON objects, notifies at least once.
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { objectCreatedEvent, type S3EventNotification } from '../../../contract/index.ts';
import { type Limited, limit } from './limit.ts';
import {
  NO_PENDING_STORE,
  type PendingNotification,
  type PendingNotifications,
} from './pending-notifications.ts';
import {
  type LeftoverSegment,
  memoryJournal,
  type RecordJournal,
  type SealedSegment,
} from './record-journal.ts';

const gzipAsync = promisify(gzip);

/** Writes one object to the landing store; returns its ETag. */
export type LandObject = (key: string, body: Buffer) => Promise<{ etag: string }>;
/** Delivers one S3 event notification; rejects to ask for redelivery. */
export type Notify = (event: S3EventNotification) => Promise<void>;

/**
 * Thrown by `append` while landing is too far behind (the landing store is down, say): the records were
 * not taken, the caller answers as a throttled Firehose does (ServiceUnavailableException) and the
 * client retries later.
 */
export class BackpressureError extends Error {
  override name = 'BackpressureError';
  constructor(readonly unlandedBytes: number) {
    super(`landing is behind: ${unlandedBytes} bytes accepted and not yet landed`);
  }
}

/** How many of a previous run's notifications are delivered at once at recovery (so a restart does not burst the loader). */
export const RECOVERY_CONCURRENCY = 2;

/** Default bound on accepted record bytes held before they land (see `maxUnlandedBytes`). */
export const DEFAULT_MAX_UNLANDED_BYTES = 64 * 1024 * 1024;

/** Options of a delivery stream. */
export interface DeliveryStreamOptions {
  name: string;
  bucket: string;
  region: string;
  /** Flush when this many bytes are buffered (Firehose buffering hint "size"). */
  bufferBytes: number;
  /** Flush this long after the first buffered record (buffering hint "interval"). */
  bufferIntervalMs: number;
  /**
   * Accepted record bytes that may wait to land (buffered plus sealed segments whose object is not yet
   * stored; each is held in memory). Past it, `append` refuses with BackpressureError until landing
   * catches up; a call is always taken when nothing is waiting. Default 64 MiB.
   */
  maxUnlandedBytes?: number;
  land: LandObject;
  notify?: Notify;
  /** Where accepted records wait until landed (default: memory only). */
  journal?: RecordJournal;
  /** Where notifications wait until delivered (default: memory only). */
  pending?: PendingNotifications;
  /** Called when landing or notifying fails (before the retry). */
  onError?: (what: 'land' | 'notify', error: unknown, attempt: number) => void;
  /** Called when `append` starts refusing (true) and when it takes records again (false). */
  onBackpressure?: (refusing: boolean, unlandedBytes: number) => void;
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
 * '\n'). `append` resolves only once the journal holds the records, so what the endpoint acknowledged
 * survives a crash. Landing is retried until it works; the landed object's notification is kept
 * (`pending`) before the journal forgets the records, then delivered with retries and capped backoff
 * until `notify` resolves (at-least-once: a notification may be delivered twice; the loader dedupes).
 * While landing fails, sealed segments wait in memory: past `maxUnlandedBytes` new appends are refused
 * (backpressure) instead of growing without bound. A notification's retries hold only the event.
 */
export class DeliveryStream {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly work = new Set<Promise<void>>();
  private stopped = false;
  private readonly journal: RecordJournal;
  private readonly pending: PendingNotifications;
  /** Accepted (or being journalled) record bytes whose object has not landed yet. */
  private unlanded = 0;
  private refusing = false;

  constructor(private readonly options: DeliveryStreamOptions) {
    this.journal = options.journal ?? memoryJournal();
    this.pending = options.pending ?? NO_PENDING_STORE;
  }

  /** Record bytes accepted and not yet landed. */
  get unlandedBytes(): number {
    return this.unlanded;
  }

  /**
   * Journals accepted record data; resolves once it is durable (acknowledge only then). Rejects with
   * BackpressureError, taking nothing, while too much waits to land.
   */
  async append(records: Buffer[]): Promise<void> {
    const size = records.reduce((n, r) => n + r.byteLength, 0);
    const max = this.options.maxUnlandedBytes ?? DEFAULT_MAX_UNLANDED_BYTES;
    if (this.unlanded > 0 && this.unlanded + size > max) {
      if (!this.refusing) this.options.onBackpressure?.(true, this.unlanded);
      this.refusing = true;
      throw new BackpressureError(this.unlanded);
    }
    if (this.refusing) this.options.onBackpressure?.(false, this.unlanded);
    this.refusing = false;
    this.unlanded += size;
    try {
      await this.journal.append(records);
    } catch (error) {
      this.unlanded -= size;
      throw error;
    }
    if (this.journal.bytes >= this.options.bufferBytes) this.flush();
    else if (this.journal.bytes > 0)
      this.timer ??= setTimeout(() => this.flush(), this.options.bufferIntervalMs);
  }

  /**
   * Starts delivering what a previous run left: its undelivered notifications and its journalled
   * segments. Segments are read and landed one at a time; their notifications and the left ones are
   * delivered at most RECOVERY_CONCURRENCY at a time. Resolves with what was found (`bytes` on disk).
   */
  async recover(): Promise<{ notifications: number; segments: number; bytes: number }> {
    const notifications = await this.pending.list();
    const segments = await this.journal.recover();
    if (notifications.length > 0 || segments.length > 0) {
      this.track(this.redeliver(notifications, segments, limit(RECOVERY_CONCURRENCY)));
    }
    return {
      notifications: notifications.length,
      segments: segments.length,
      bytes: segments.reduce((n, s) => n + s.fileBytes, 0),
    };
  }

  private async redeliver(
    notifications: PendingNotification[],
    segments: LeftoverSegment[],
    limited: Limited,
  ): Promise<void> {
    // Each handled at once: one given up at stop() must not be an unhandled rejection meanwhile.
    const kept = notifications.map(({ id, event }) =>
      limited(() => this.notifyKept(id, event)).catch(() => undefined),
    );
    for (const leftover of segments) {
      if (this.stopped) break;
      try {
        const segment = await leftover.load();
        if (!segment) continue;
        this.unlanded += segment.bytes;
        await this.deliver(segment, limited);
      } catch (error) {
        // Unreadable now (or stopped): the file stays for the next start.
        if (!this.stopped) this.options.onError?.('land', error, 0);
      }
    }
    await Promise.all(kept);
  }

  /** Starts landing whatever is buffered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.track(this.journal.seal().then((segment) => (segment ? this.deliver(segment) : undefined)));
  }

  /**
   * Flushes and waits until everything accepted so far is landed and notified (or `timeoutMs` passes);
   * resolves true when nothing is left in flight.
   */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    this.flush();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = (async () => {
      while (this.work.size > 0) await Promise.all([...this.work]);
      return true;
    })();
    const drained = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return drained;
  }

  /** Drains, then stops retrying; whatever is still undelivered stays in the journal and pending store. */
  async stop(timeoutMs?: number): Promise<boolean> {
    const drained = await this.drain(timeoutMs);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.journal.close();
    return drained;
  }

  private track(job: Promise<void>): void {
    const tracked: Promise<void> = job
      // A job given up at stop() is not lost: its records or notification are still on disk.
      .catch(() => undefined)
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  /** Lands a segment, then keeps and delivers its notification (through `limited` at recovery). */
  private async deliver(segment: SealedSegment, limited?: Limited): Promise<void> {
    const body = await gzipAsync(Buffer.concat(segment.chunks));
    const at = new Date();
    const key = objectKeyFor(this.options.name, at);
    const { etag } = await this.retry('land', () => this.options.land(key, body));
    const notify = this.options.notify;
    if (!notify) return this.released(segment);
    const event = objectCreatedEvent({
      region: this.options.region,
      bucket: this.options.bucket,
      key,
      size: body.byteLength,
      etag,
      at,
    });
    // Keep the notification before forgetting the records: a crash in between lands the records again
    // under another key (the loader dedupes by event id), never loses them.
    const id = await this.retry('notify', () => this.pending.save(event));
    await this.released(segment);
    // A job of its own: its retries (the loader may be down for long) hold the event, not the records.
    this.track(limited ? limited(() => this.notifyKept(id, event)) : this.notifyKept(id, event));
  }

  /** Forgets a landed segment: its files, and its bytes from what waits to land. */
  private async released(segment: SealedSegment): Promise<void> {
    await segment.release();
    this.unlanded -= segment.bytes;
  }

  private async notifyKept(id: string, event: S3EventNotification): Promise<void> {
    const notify = this.options.notify;
    if (!notify) return;
    await this.retry('notify', () => notify(event));
    await this.pending.remove(id);
  }

  private async retry<T>(what: 'land' | 'notify', fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw new Error(`${this.options.name} stopped`);
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
