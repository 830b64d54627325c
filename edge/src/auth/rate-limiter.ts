// Per-key request rate limit at one edge instance: a token bucket per API key, bounded in memory.

/** Sustained requests per second per key, and how many may arrive at once above that. */
export interface RateLimitSettings {
  requestsPerSecond: number;
  burst: number;
  /** Keys tracked at once; the least recently seen are forgotten first (they start full again). */
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets keyed by API key id. Each instance limits what reaches it, so in AWS the effective
 * ceiling is the limit times the instances serving the key — a guard against runaway clients and
 * retry storms at the edge, not a billing meter.
 */
export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly settings: RateLimitSettings) {}

  /**
   * Takes one request's token for `keyId` at `nowMs`.
   * @returns 0 when the request may go on, else the whole seconds until a token is available.
   */
  take(keyId: string, nowMs: number): number {
    const { requestsPerSecond: rate, burst } = this.settings;
    const seen = this.buckets.get(keyId);
    const bucket: Bucket = seen
      ? { tokens: Math.min(burst, seen.tokens + ((nowMs - seen.at) / 1000) * rate), at: nowMs }
      : { tokens: burst, at: nowMs };
    // Re-insert so that Map order is least-recently-seen first.
    this.buckets.delete(keyId);
    this.buckets.set(keyId, bucket);
    if (this.buckets.size > this.settings.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }
}
