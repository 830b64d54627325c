// The per-key token bucket: burst, refill, Retry-After, independence of keys, bounded memory.
import { describe, expect, it } from 'vitest';
import { KeyRateLimiter } from './rate-limiter.ts';

describe('KeyRateLimiter', () => {
  it('lets a burst through, then refuses with the seconds until the next token', () => {
    const limiter = new KeyRateLimiter({ requestsPerSecond: 2, burst: 3, maxKeys: 10 });
    expect([0, 1, 2].map(() => limiter.take('k', 1_000))).toEqual([0, 0, 0]);
    expect(limiter.take('k', 1_000)).toBe(1);
    // Half a second later one token (2/s) has come back, and only one.
    expect(limiter.take('k', 1_500)).toBe(0);
    expect(limiter.take('k', 1_500)).toBe(1);
  });

  it('refills to the burst and no further', () => {
    const limiter = new KeyRateLimiter({ requestsPerSecond: 1, burst: 2, maxKeys: 10 });
    limiter.take('k', 0);
    limiter.take('k', 0);
    const after = [0, 1, 2].map(() => limiter.take('k', 60_000));
    expect(after).toEqual([0, 0, 1]);
  });

  it('answers a Retry-After that covers a slow rate', () => {
    const limiter = new KeyRateLimiter({ requestsPerSecond: 0.25, burst: 1, maxKeys: 10 });
    expect(limiter.take('k', 0)).toBe(0);
    expect(limiter.take('k', 0)).toBe(4);
  });

  it('limits each key on its own', () => {
    const limiter = new KeyRateLimiter({ requestsPerSecond: 1, burst: 1, maxKeys: 10 });
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1);
    expect(limiter.take('b', 0)).toBe(0);
  });

  it('forgets the least recently seen key beyond maxKeys', () => {
    const limiter = new KeyRateLimiter({ requestsPerSecond: 1, burst: 1, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0); // evicts a
    expect(limiter.take('a', 0)).toBe(0); // a starts full again (and evicts b)
    expect(limiter.take('c', 0)).toBe(1); // c was kept
  });
});
