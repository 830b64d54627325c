// The segment planner: exact coverage, tiers only when aligned and clean, minutes merged.
import { describe, expect, it } from 'vitest';
import { blockKey, planSegments } from './plan.ts';

const at = (iso: string) => new Date(iso);
const show = (segments: ReturnType<typeof planSegments>) =>
  segments.map((s) => `${s.grain} ${s.from.toISOString().slice(11, 16)}-${s.to.toISOString().slice(11, 16)}`);

describe('planSegments', () => {
  it('uses hours, then 5-minute blocks, then minutes at the ragged edges', () => {
    const plan = planSegments(at('2026-11-25T09:52:00Z'), at('2026-11-25T12:07:00Z'), new Set());
    expect(show(plan)).toEqual([
      '1m 09:52-09:55',
      '5m 09:55-10:00',
      '1h 10:00-11:00',
      '1h 11:00-12:00',
      '5m 12:00-12:05',
      '1m 12:05-12:07',
    ]);
  });

  it('falls back to finer sources for dirty blocks', () => {
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T11:00:00Z')),
      blockKey('5m', at('2026-11-25T11:10:00Z')),
    ]);
    const plan = planSegments(at('2026-11-25T11:00:00Z'), at('2026-11-25T11:20:00Z'), dirty);
    expect(show(plan)).toEqual(['5m 11:00-11:05', '5m 11:05-11:10', '1m 11:10-11:15', '5m 11:15-11:20']);
  });

  it('covers the range exactly, without gaps or overlaps', () => {
    const from = at('2026-11-24T23:17:00Z');
    const to = at('2026-11-26T01:03:00Z');
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T05:00:00Z')),
      blockKey('5m', at('2026-11-25T05:30:00Z')),
    ]);
    const plan = planSegments(from, to, dirty);
    let t = from.getTime();
    for (const s of plan) {
      expect(s.from.getTime()).toBe(t);
      t = s.to.getTime();
    }
    expect(t).toBe(to.getTime());
  });
});
