// The durable hand-off: records go to Firehose in shared calls, failed ones are resent until a deadline.
import { UnavailableError } from '../http/errors.ts';
import { FIREHOSE_LIMITS } from './pack-records.ts';

/** Per-record outcome of one PutRecordBatch call, in request order. */
export type RecordOutcome = { ok: true } | { ok: false; errorCode: string };

/** One PutRecordBatch call; throws when the whole call failed (throttled, network, timeout). */
export type PutRecordBatch = (records: readonly Buffer[], signal: AbortSignal) => Promise<RecordOutcome[]>;

/** Something that durably takes records; resolves only when every record was accepted. */
export interface EventSink {
  put(records: readonly Buffer[], deadlineAt: number): Promise<void>;
}

/** Tuning of the sink (see EdgeConfig.sink). */
export interface BatchingSinkOptions {
  baseBackoffMs: number;
  maxBackoffMs: number;
  maxConcurrentCalls: number;
  /** Injected for tests; defaults to Math.random (jitter) and Date.now. */
  random?: () => number;
  now?: () => number;
  /** Called for every failed record or call (logging/metrics). */
  onRetry?: (info: { errorCode: string; attempt: number }) => void;
}

interface Job {
  remaining: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  deadlineAt: number;
}

interface Item {
  data: Buffer;
  job: Job;
  attempt: number;
}

/**
 * An EventSink over PutRecordBatch. Requests that arrive while calls are in flight share the next call
 * (up to 500 records / 4 MiB), which amortises the SDK's per-call cost under load; on Lambda@Edge one
 * instance serves one request at a time, so there it is simply one call per request. A request's
 * promise resolves only when Firehose accepted every one of its records; failed records (and whole
 * failed calls) are resent with capped exponential backoff and full jitter until its deadline, after
 * which it rejects with a 503 UnavailableError. Records of a failed request may still have been taken:
 * the client resends, the loader drops duplicates.
 */
export class BatchingSink implements EventSink {
  private readonly queue: Item[] = [];
  private active = 0;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly putRecordBatch: PutRecordBatch,
    private readonly options: BatchingSinkOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  put(records: readonly Buffer[], deadlineAt: number): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const job: Job = {
        remaining: records.length,
        settled: false,
        resolve,
        reject,
        deadlineAt,
        timer: setTimeout(() => this.fail(job), Math.max(0, deadlineAt - this.now())),
      };
      for (const data of records) this.queue.push({ data, job, attempt: 0 });
      this.pump();
    });
  }

  /** Records waiting for a call (for tests and metrics). */
  get queued(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.active < this.options.maxConcurrentCalls && this.queue.length > 0) {
      const batch: Item[] = [];
      let bytes = 0;
      while (this.queue.length > 0 && batch.length < FIREHOSE_LIMITS.maxRecordsPerCall) {
        const item = this.queue[0] as Item;
        if (item.job.settled) {
          this.queue.shift();
          continue;
        }
        if (batch.length > 0 && bytes + item.data.byteLength > FIREHOSE_LIMITS.maxBytesPerCall) break;
        this.queue.shift();
        batch.push(item);
        bytes += item.data.byteLength;
      }
      if (batch.length === 0) return;
      this.active++;
      this.send(batch).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async send(batch: Item[]): Promise<void> {
    let latest = 0;
    for (const item of batch) latest = Math.max(latest, item.job.deadlineAt);
    let outcomes: RecordOutcome[] | undefined;
    let callError = 'CallFailed';
    // Not AbortSignal.timeout: its timer outlives the call (until the deadline, seconds later) and then
    // builds a DOMException for a signal nobody listens to; one per call added up to several µs per request.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('the call passed its deadline', 'TimeoutError')),
      Math.max(1, latest - this.now()),
    );
    try {
      outcomes = await this.putRecordBatch(
        batch.map((item) => item.data),
        deadline.signal,
      );
    } catch (error) {
      callError = (error as { name?: string }).name ?? 'CallFailed';
    } finally {
      clearTimeout(timer);
    }
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i] as Item;
      const outcome = outcomes?.[i];
      if (outcome?.ok) {
        item.job.remaining--;
        if (item.job.remaining === 0) this.succeed(item.job);
      } else {
        this.retry(item, outcome ? outcome.errorCode : callError);
      }
    }
  }

  private retry(item: Item, errorCode: string): void {
    if (item.job.settled) return;
    item.attempt++;
    this.options.onRetry?.({ errorCode, attempt: item.attempt });
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (item.attempt - 1));
    const delay = Math.floor(this.random() * ceiling);
    if (this.now() + delay >= item.job.deadlineAt) {
      this.fail(item.job);
      return;
    }
    setTimeout(() => {
      if (item.job.settled) return;
      this.queue.push(item);
      this.pump();
    }, delay);
  }

  private succeed(job: Job): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    job.resolve();
  }

  private fail(job: Job): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    job.reject(new UnavailableError('the event stream did not accept the batch in time; resend it', 1));
  }
}
