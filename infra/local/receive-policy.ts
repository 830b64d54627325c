// When the local loader gives up on a notification and moves it to the local DLQ file (the SQS redrive policy's stand-in).

/**
 * In AWS a failing notification is retried for about an hour (5 receives, 12 min visibility timeout)
 * before it reaches the DLQ. Locally the Firehose stand-in redelivers within seconds (backoff capped at
 * 5 s), so a count alone would dead-letter after a few seconds of database outage. A notification goes
 * to the local DLQ only once it has failed `maxReceives` times AND has kept failing for `windowMs`.
 */
export interface ReceivePolicy {
  maxReceives: number;
  windowMs: number;
}

export const LOCAL_RECEIVE_POLICY: ReceivePolicy = { maxReceives: 8, windowMs: 10 * 60_000 };

/** Failure bookkeeping per notification (by its object keys), in memory: a restart starts afresh. */
export class ReceiveTracker {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly policy: ReceivePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  succeeded(id: string): void {
    this.failures.delete(id);
  }

  /** Records a failure; true when the notification should now be dead-lettered (and forgets it). */
  failed(id: string): { deadLetter: boolean; attempt: number } {
    const entry = this.failures.get(id) ?? { count: 0, since: this.now() };
    entry.count++;
    this.failures.set(id, entry);
    const deadLetter =
      entry.count >= this.policy.maxReceives && this.now() - entry.since >= this.policy.windowMs;
    if (deadLetter) this.failures.delete(id);
    return { deadLetter, attempt: entry.count };
  }
}
