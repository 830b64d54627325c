// Firehose hand-off semantics: resolve only when every record was taken; resend only failed records.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../infra/testing/seeded-random.ts';
import { BatchingSink, type PutRecordBatch, type RecordOutcome } from './batching-sink.ts';

const OPTIONS = { baseBackoffMs: 1, maxBackoffMs: 5, maxConcurrentCalls: 2 };
const rec = (s: string) => Buffer.from(s);

/** A fake Firehose whose per-record answers are decided by `decide`; remembers what it accepted. */
function fakeFirehose(decide: (data: string, call: number) => RecordOutcome | 'throw') {
  const accepted: string[] = [];
  const calls: string[][] = [];
  const put: PutRecordBatch = async (records) => {
    const call = calls.length;
    calls.push(records.map((r) => r.toString()));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const out = records.map((r) => decide(r.toString(), call));
    if (out.includes('throw'))
      throw Object.assign(new Error('throttled'), { name: 'ServiceUnavailableException' });
    out.forEach((o, i) => {
      if (o !== 'throw' && o.ok) accepted.push((records[i] as Buffer).toString());
    });
    return out as RecordOutcome[];
  };
  return { put, accepted, calls };
}

describe('BatchingSink', () => {
  it('resends only the failed records until all are taken', async () => {
    const seen = new Map<string, number>();
    const fh = fakeFirehose((data) => {
      const n = (seen.get(data) ?? 0) + 1;
      seen.set(data, n);
      return data === 'b' && n < 3 ? { ok: false, errorCode: 'ServiceUnavailableException' } : { ok: true };
    });
    const sink = new BatchingSink(fh.put, OPTIONS);
    await sink.put([rec('a'), rec('b'), rec('c')], Date.now() + 1000);
    expect(fh.accepted.sort()).toEqual(['a', 'b', 'c']);
    expect(fh.calls.slice(1).flat()).toEqual(['b', 'b']);
  });

  it('retries whole failed calls and rejects with 503 once the deadline passes', async () => {
    const fh = fakeFirehose(() => 'throw');
    const sink = new BatchingSink(fh.put, OPTIONS);
    await expect(sink.put([rec('a')], Date.now() + 50)).rejects.toThrowError(
      expect.objectContaining({ status: 503, retryAfterSeconds: 1 }),
    );
    expect(fh.calls.length).toBeGreaterThan(1);
  });

  it('never resolves a request while one of its records is still not taken (random failures)', async () => {
    const random = seededRandom(2026); // failures and backoff jitter reproduce run to run
    const fh = fakeFirehose(() => (random() < 0.4 ? { ok: false, errorCode: 'X' } : { ok: true }));
    const sink = new BatchingSink(fh.put, { ...OPTIONS, maxConcurrentCalls: 3, random });
    const requests = Array.from({ length: 30 }, (_, i) => [`r${i}-1`, `r${i}-2`, `r${i}-3`]);
    const results = await Promise.allSettled(requests.map((rs) => sink.put(rs.map(rec), Date.now() + 2000)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled')
        for (const r of requests[i] as string[]) expect(fh.accepted).toContain(r);
    });
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
  });

  it('shares calls between concurrent requests, within 500 records per call', async () => {
    const fh = fakeFirehose(() => ({ ok: true }));
    const sink = new BatchingSink(fh.put, { ...OPTIONS, maxConcurrentCalls: 1 });
    const puts = Array.from({ length: 6 }, (_, i) =>
      sink.put(
        Array.from({ length: 200 }, (_, j) => rec(`${i}-${j}`)),
        Date.now() + 1000,
      ),
    );
    await Promise.all(puts);
    expect(fh.calls.every((c) => c.length <= 500)).toBe(true);
    expect(fh.calls.length).toBeLessThan(6);
    expect(fh.accepted).toHaveLength(1200);
  });

  it('keeps every call within 4 MiB', async () => {
    const fh = fakeFirehose(() => ({ ok: true }));
    const sink = new BatchingSink(fh.put, { ...OPTIONS, maxConcurrentCalls: 1 });
    const big = (i: number) => Buffer.alloc(1000 * 1024, i);
    await Promise.all([
      sink.put([big(1), big(2), big(3)], Date.now() + 5000),
      sink.put([big(4), big(5)], Date.now() + 5000),
    ]);
    for (const call of fh.calls)
      expect(call.reduce((n, r) => n + r.length, 0)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(fh.accepted).toHaveLength(5);
  });

  it('aborts a call that hangs past its deadline, so its slot serves the next requests', async () => {
    const reasons: unknown[] = [];
    let calls = 0;
    const put: PutRecordBatch = (records, signal) => {
      calls++;
      // The first call hangs until aborted; later ones answer at once.
      if (calls > 1) return Promise.resolve(records.map(() => ({ ok: true })));
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          reasons.push(signal.reason);
          reject(signal.reason);
        }),
      );
    };
    const sink = new BatchingSink(put, { ...OPTIONS, maxConcurrentCalls: 1 });
    await expect(sink.put([rec('stuck')], Date.now() + 30)).rejects.toMatchObject({ status: 503 });
    await sink.put([rec('next')], Date.now() + 1000);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ name: 'TimeoutError' });
  });

  it('does not abort a call that answered in time (its deadline timer is cleared)', async () => {
    const signals: AbortSignal[] = [];
    const put: PutRecordBatch = async (records, signal) => {
      signals.push(signal);
      return records.map(() => ({ ok: true }));
    };
    const sink = new BatchingSink(put, OPTIONS);
    await sink.put([rec('a')], Date.now() + 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(signals.map((s) => s.aborted)).toEqual([false]);
  });
});
