// The scheduled sweep's loop: keeps passing while rows are pending and time is left, stops otherwise.
import { describe, expect, it } from 'vitest';
import { sweepWhilePending } from './propagator.ts';

function run(pendingAfterPass: number[], budgetMs: number) {
  let clock = 0;
  let passes = 0;
  const slept: number[] = [];
  return sweepWhilePending({
    drain: async () => ({ delivered: pendingAfterPass[passes++] === 0 ? 1 : 0, failed: 1 }),
    pending: async () => pendingAfterPass[passes - 1] ?? 0,
    intervalMs: 1_000,
    timeLeftMs: () => budgetMs - clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  }).then((result) => ({ result, passes, slept }));
}

describe('sweepWhilePending', () => {
  it('returns after one pass when nothing is pending', async () => {
    expect(await run([0], 60_000)).toMatchObject({ passes: 1, slept: [] });
  });

  it('passes every interval while rows are pending, until they are delivered', async () => {
    const r = await run([2, 2, 2, 0], 60_000);
    expect(r.passes).toBe(4);
    expect(r.slept).toEqual([1_000, 1_000, 1_000]);
    expect(r.result).toEqual({ delivered: 1, failed: 4 });
  });

  it('stops when its time is up even if rows are still pending', async () => {
    const r = await run(Array(100).fill(1), 5_500);
    expect(r.passes).toBe(6); // at 0, 1, 2, 3, 4 and 5 s; at 5 s less than an interval is left
  });
});
