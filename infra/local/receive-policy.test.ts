// The local loader's redrive policy: a count and a time window must both be exceeded before dead-lettering.
import { expect, it } from 'vitest';
import { ReceiveTracker } from './receive-policy.ts';

function tracker() {
  let t = 1_000_000;
  const clock = { advance: (ms: number) => (t += ms) };
  return { clock, tracker: new ReceiveTracker({ maxReceives: 3, windowMs: 60_000 }, () => t) };
}

it('keeps retrying a notification that failed often but only briefly (a short database outage)', () => {
  const { clock, tracker: r } = tracker();
  for (let i = 1; i <= 50; i++) {
    expect(r.failed('a')).toEqual({ deadLetter: false, attempt: i });
    clock.advance(1_000);
  }
});

it('dead-letters once both the count and the window are exceeded, then forgets it', () => {
  const { clock, tracker: r } = tracker();
  r.failed('a');
  clock.advance(60_000);
  expect(r.failed('a').deadLetter).toBe(false); // 2 of 3 receives, window passed
  expect(r.failed('a')).toEqual({ deadLetter: true, attempt: 3 });
  expect(r.failed('a')).toEqual({ deadLetter: false, attempt: 1 });
});

it('a success resets the count and the window; notifications are tracked apart', () => {
  const { clock, tracker: r } = tracker();
  r.failed('a');
  r.failed('a');
  clock.advance(120_000);
  r.succeeded('a');
  expect(r.failed('a')).toEqual({ deadLetter: false, attempt: 1 });
  expect(r.failed('b')).toEqual({ deadLetter: false, attempt: 1 });
});
